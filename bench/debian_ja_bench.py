#!/usr/bin/env python3
"""Measures fiscdex on a corpus of different documents, beside other engines.

    bench/debian_ja_bench.py CORPUS_DIR WORK_DIR --fiscdex BUILD/tools/fiscdex
        [--label NAME] [--repeat 10] [--others]

CORPUS_DIR is what bench/make_debian_ja_corpus.sh made. For fiscdex: ingest
wall time, MB/s and peak RSS (GNU time's %M) with its default jobs and on one
core (taskset -c 0, --jobs 1), index size, then CLI search p50/p95 over the
fixed QUERIES (each query REPEAT times, one process each, wall time) and the
documents each query finds. Raw MeCab (the mecab CLI, one core, the same
dictionary folder fiscdex uses) over the concatenated text. With --others:
SQLite FTS5 trigram, Xapian (CJK n-grams) and Groonga with TokenMecab on the
same text and queries: build time, size, documents found, query p50/p95
(in process for SQLite and Xapian, one `groonga` process per query).
Prints a Markdown table. Needs: GNU time, taskset, mecab, and for --others
python3-xapian and groonga-bin + groonga-tokenizer-mecab.
"""
import argparse, json, os, shutil, sqlite3, statistics, subprocess, sys, time

QUERIES = [
    "ファイル", "アクセス権", "セキュリティ", "パスワード", "暗号化", "ネットワーク",
    "パッケージ", "ディレクトリ", "設定ファイル", "環境変数", "シグナル", "プロセス",
    "ユーザー", "カーネル", "共有ライブラリ", "標準出力", "エラー", "メモリ", "ソケット",
    "文字コード", "バックアップ", "ファイルシステム", "タイムゾーン", "依存関係",
    "権限", "認証",
]
MECAB_DICDIR = "/var/lib/mecab/dic/ipadic-utf8"


def corpus_files(root):
    out = []
    for folder, _, names in os.walk(root):
        out += [os.path.join(folder, n) for n in names if n.endswith(".txt")]
    return sorted(out)


def timed(cmd, **kw):
    """Runs cmd under GNU time: (wall s, peak RSS MB, completed process)."""
    fmt = "%e %M"
    r, w = os.pipe()
    start = time.monotonic()
    proc = subprocess.run(["/usr/bin/time", "-f", fmt, "-o", f"/dev/fd/{w}"] + cmd,
                          pass_fds=(w,), **kw)
    wall = time.monotonic() - start
    os.close(w)
    with os.fdopen(r) as f:
        fields = f.read().split()
    return wall, int(fields[-1]) / 1024, proc


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def fiscdex(args, corpus, work, mb):
    rows = []
    db = os.path.join(work, "fiscdex.db")
    for label, prefix, jobs in (("default jobs", [], []), ("one core", ["taskset", "-c", "0"], ["--jobs", "1"])):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        wall, rss, proc = timed(prefix + [args.fiscdex, "--db", db, "ingest", corpus, "--quiet"] + jobs,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        rows.append((f"fiscdex ingest ({label})", f"{wall:.1f} s", f"{mb / wall:.2f} MB/s",
                     f"peak RSS {rss:.0f} MB", f"exit {proc.returncode}"))
        if proc.returncode not in (0, 1):
            print(proc.stderr[-2000:], file=sys.stderr)
    size = sum(os.path.getsize(db + s) for s in ("", "-wal") if os.path.exists(db + s))
    rows.append(("fiscdex index", f"{size / 2**20:.1f} MB", f"{size / (mb * 2**20):.2f}x input", "", ""))
    times, found = [], {}
    for q in QUERIES:
        out = subprocess.run([args.fiscdex, "--db", db, "search", "--count", "--json", q],
                             capture_output=True, text=True)
        if out.returncode != 0 or not out.stdout:
            print(f"fiscdex search --count {q}: exit {out.returncode}: {out.stderr.strip()}",
                  file=sys.stderr)
            found[q] = None
        else:
            found[q] = json.loads(out.stdout)["documents"]
        for _ in range(args.repeat):
            start = time.monotonic()
            subprocess.run([args.fiscdex, "--db", db, "search", q], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            times.append((time.monotonic() - start) * 1000)
    rows.append(("fiscdex search (CLI, limit 10)", f"p50 {pct(times, .5):.2f} ms",
                 f"p95 {pct(times, .95):.2f} ms", f"{len(QUERIES)} queries x {args.repeat}", ""))
    # What any process costs when started the same way: the floor under a CLI search.
    for label, cmd in (("/bin/true (process start)", ["/bin/true"]),
                       ("fiscdex --version", [args.fiscdex, "--version"]),
                       ("sqlite3 -version", ["sqlite3", "-version"])):
        floor = []
        for _ in range(100):
            start = time.monotonic()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            floor.append((time.monotonic() - start) * 1000)
        rows.append((label, f"p50 {pct(floor, .5):.2f} ms", f"p95 {pct(floor, .95):.2f} ms",
                     "100 runs", ""))
    return rows, found


def mecab(corpus_list, work, mb):
    joined = os.path.join(work, "all.txt")
    with open(joined, "wb") as out:
        for path in corpus_list:
            with open(path, "rb") as f:
                shutil.copyfileobj(f, out)
    with open(joined, "rb") as f:
        wall, rss, proc = timed(["taskset", "-c", "0", "mecab", "-r", "/dev/null", "-d", MECAB_DICDIR,
                                 "-b", "4194304", "-O", "wakati"], stdin=f, stdout=subprocess.DEVNULL)
    return [("raw MeCab (mecab CLI, one core)", f"{wall:.1f} s", f"{mb / wall:.2f} MB/s",
             f"peak RSS {rss:.0f} MB", f"exit {proc.returncode}")]


def sqlite_trigram(files, work, mb):
    db = os.path.join(work, "trigram.db")
    if os.path.exists(db):
        os.remove(db)
    start = time.monotonic()
    con = sqlite3.connect(db)
    con.execute("CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, body, tokenize='trigram')")
    with con:
        for path in files:
            with open(path, encoding="utf-8") as f:
                con.execute("INSERT INTO docs VALUES (?, ?)", (path, f.read()))
    con.close()
    build = time.monotonic() - start
    con = sqlite3.connect(db)
    times, found = [], {}
    for q in QUERIES:
        phrase = '"' + q + '"'
        # Trigram matches only terms of three characters or more.
        found[q] = con.execute("SELECT count(*) FROM docs WHERE docs MATCH ?", (phrase,)).fetchone()[0] \
            if len(q) >= 3 else None
        for _ in range(10):
            t = time.monotonic()
            if len(q) >= 3:
                con.execute("SELECT path FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 10",
                            (phrase,)).fetchall()
            times.append((time.monotonic() - t) * 1000)
    size = os.path.getsize(db)
    return [("SQLite FTS5 trigram (in process)", f"build {build:.1f} s ({mb / build:.2f} MB/s)",
             f"{size / 2**20:.1f} MB", f"query p50 {pct(times, .5):.2f} ms p95 {pct(times, .95):.2f} ms", "")], found


def xapian_ngram(files, work, mb):
    import xapian
    path = os.path.join(work, "xapian")
    shutil.rmtree(path, ignore_errors=True)
    start = time.monotonic()
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    for name in files:
        with open(name, encoding="utf-8") as f:
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(f.read())
            doc.set_data(name)
            db.add_document(doc)
    db.commit()
    db.close()
    build = time.monotonic() - start
    db = xapian.Database(path)
    qp = xapian.QueryParser()
    qp.set_database(db)
    times, found = [], {}
    for q in QUERIES:
        query = qp.parse_query('"' + q + '"', xapian.QueryParser.FLAG_CJK_NGRAM | xapian.QueryParser.FLAG_PHRASE)
        enquire = xapian.Enquire(db)
        enquire.set_query(query)
        found[q] = enquire.get_mset(0, db.get_doccount()).size()
        for _ in range(10):
            t = time.monotonic()
            enquire.get_mset(0, 10)
            times.append((time.monotonic() - t) * 1000)
    size = sum(os.path.getsize(os.path.join(path, n)) for n in os.listdir(path))
    return [("Xapian CJK n-gram (in process)", f"build {build:.1f} s ({mb / build:.2f} MB/s)",
             f"{size / 2**20:.1f} MB", f"query p50 {pct(times, .5):.2f} ms p95 {pct(times, .95):.2f} ms", "")], found


def groonga(files, work, mb):
    path = os.path.join(work, "groonga")
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    db = os.path.join(path, "db")
    load = [
        "table_create Docs TABLE_HASH_KEY ShortText",
        "column_create Docs body COLUMN_SCALAR LongText",
        "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenMecab --normalizer NormalizerAuto",
        "column_create Terms docs_body COLUMN_INDEX|WITH_POSITION Docs body",
        "load --table Docs",
    ]
    records = []
    for name in files:
        with open(name, encoding="utf-8") as f:
            records.append({"_key": name[-4000:], "body": f.read()})
    script = "\n".join(load) + "\n" + json.dumps(records, ensure_ascii=False) + "\n"
    start = time.monotonic()
    subprocess.run(["groonga", "-n", db], input=script, text=True, capture_output=True, check=True)
    build = time.monotonic() - start
    times, found = [], {}
    for q in QUERIES:
        cmd = ["groonga", db, "select", "Docs", "--match_columns", "body", "--query", '"' + q + '"',
               "--limit", "10", "--output_columns", "_key"]
        out = subprocess.run(cmd, capture_output=True, text=True)
        found[q] = json.loads(out.stdout)[1][0][0][0]
        for _ in range(10):
            t = time.monotonic()
            subprocess.run(cmd, stdout=subprocess.DEVNULL)
            times.append((time.monotonic() - t) * 1000)
    size = sum(os.path.getsize(os.path.join(path, n)) for n in os.listdir(path))
    return [("Groonga TokenMecab (groonga CLI)", f"build {build:.1f} s ({mb / build:.2f} MB/s)",
             f"{size / 2**20:.1f} MB", f"query p50 {pct(times, .5):.2f} ms p95 {pct(times, .95):.2f} ms", "")], found


def main():
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("work")
    p.add_argument("--fiscdex", required=True)
    p.add_argument("--label", default="fiscdex")
    p.add_argument("--repeat", type=int, default=10)
    p.add_argument("--others", action="store_true")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    files = corpus_files(args.corpus)
    mb = sum(os.path.getsize(f) for f in files) / 2**20
    print(f"corpus: {len(files)} documents, {mb:.1f} MB ({args.corpus}); {args.label}\n")
    rows, found = fiscdex(args, args.corpus, args.work, mb)
    columns = {"fiscdex": found}
    if args.others:
        rows += mecab(files, args.work, mb)
        for engine, name in ((sqlite_trigram, "SQLite trigram"), (xapian_ngram, "Xapian"),
                             (groonga, "Groonga")):
            try:
                more, hits = engine(files, args.work, mb)
                rows += more
                columns[name] = hits
            except Exception as e:  # an engine missing is a row, not a failed run
                rows.append((name, f"not measured: {e}", "", "", ""))
    print("| what | | | | |\n|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print("\n| query | " + " | ".join(columns) + " |\n|---|" + "---|" * len(columns))
    for q in QUERIES:
        print(f"| {q} | " + " | ".join("n/a" if c.get(q) is None else str(c[q]) for c in columns.values()) + " |")


if __name__ == "__main__":
    main()
