// fiscdex report: draws every view from the page's data element.
//
// Text from documents is data: it reaches the page only through
// textContent, text nodes and Option labels, never through the HTML parser,
// and no attribute is made from it but titles (tooltips). The page makes no
// request: no fetch, no image, no font (the Content-Security-Policy forbids
// them all anyway).
(function () {
  'use strict';

  // The data element holds the JSON gzip-compressed, in base64
  // (report/html_report.h): decode it, then draw.
  function loadData() {
    var text = document.getElementById('report-data').textContent.trim();
    var binary = atob(text);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }

  if (typeof DecompressionStream !== 'function') {
    document.getElementById('overview-body').textContent =
        'このブラウザでは表示できません（DecompressionStream がありません）。最新の Chrome・Edge・Firefox・Safari で開いてください。' +
        ' This browser cannot show the report: it lacks DecompressionStream.';
    return;
  }
  loadData().then(start, function (error) {
    document.getElementById('overview-body').textContent = 'レポートのデータを読めませんでした: ' + error;
  });

  function start(data) {
    var docs = data.documents;
    var criteria = data.criteria;
    var cells = data.cells;
    var statusByLetter = {};
    data.statuses.forEach(function (s, i) { s.order = i; statusByLetter[s.letter] = s; });
    var NOT_IN_EDITION = { letter: 'x', glyph: '', label: 'この版に無い基準', key: 'not_in_edition',
                           meaning: "the criterion is not in the document's edition" };
    var ATTENTION = { p: true, c: true, b: true, m: true };

    // answers[d][row] = [row, letter, answer, evidence, page, columns]
    var answers = data.answers.map(function (list) {
      var byRow = {};
      list.forEach(function (a) { byRow[a[0]] = a; });
      return byRow;
    });

    // ---- building blocks -----------------------------------------------------

    // el('td', {class: 'x', text: '...'}, child, ...): every string goes in as text.
    function el(tag, props) {
      var node = document.createElement(tag);
      if (props) {
        Object.keys(props).forEach(function (key) {
          var value = props[key];
          if (value === undefined || value === null) return;
          if (key === 'class') node.className = value;
          else if (key === 'text') node.textContent = value;
          else if (key.indexOf('data-') === 0) node.setAttribute(key, String(value));
          else if (key === 'title' || key === 'colSpan' || key === 'type' || key === 'value' ||
                   key === 'scope' || key === 'hidden') node[key] = value;
          else throw new Error('el: property ' + key + ' is not allowed');
        });
      }
      for (var i = 2; i < arguments.length; i++) {
        var child = arguments[i];
        if (child === null || child === undefined) continue;
        node.append(child);
      }
      return node;
    }

    function statusOf(letter) { return statusByLetter[letter] || NOT_IN_EDITION; }

    function badge(letter) {
      var s = statusOf(letter);
      return el('span', { class: 'badge c-' + s.letter, title: s.key + ': ' + s.meaning,
                          text: (s.glyph ? s.glyph + ' ' : '') + s.label });
    }

    // The answer with the phrase that decided its status marked, when the
    // phrase is found in it as written.
    function answerNode(text, evidence) {
      var node = el('div', { class: 'answer' });
      var at = evidence ? text.indexOf(evidence) : -1;
      if (at < 0) {
        node.textContent = text;
      } else {
        node.append(text.slice(0, at), el('mark', { text: evidence }),
                    text.slice(at + evidence.length));
      }
      return node;
    }

    function answerBlock(answer) {
      var box = el('div');
      if (!answer) return box;
      var columns = answer[5];
      if (columns && columns.length) {
        columns.forEach(function (c) {
          box.append(el('div', { class: 'evidence' }, (c[0] || '') + ' ', badge(c[1])),
                     answerNode(c[2], c[3]));
        });
      } else {
        box.append(answerNode(answer[2], answer[3]));
      }
      if (answer[3]) box.append(el('div', { class: 'evidence', text: '判定根拠: 「' + answer[3] + '」' }));
      return box;
    }

    function documentName(d) {
      var version = d.version_label || (d.versions > 1 ? ('v' + d.version + '/' + d.versions) : '');
      return d.label + (version ? '（' + version + '）' : '');
    }

    function bar(counts) {
      var total = counts.reduce(function (a, b) { return a + b; }, 0) || 1;
      var node = el('div', { class: 'bar' });
      counts.forEach(function (n, i) {
        if (!n) return;
        var s = data.statuses[i];
        var part = el('span', { class: 'c-' + s.letter, title: s.label + ' ' + n });
        part.style.width = (100 * n / total) + '%';
        node.append(part);
      });
      return node;
    }

    // Decodes the data's diff: numbers are runs of shared text taken from the
    // new answer, "-…" deleted and "+…" inserted text.
    function diffNode(spans, newText) {
      var node = el('div', { class: 'answer' });
      var at = 0;
      spans.forEach(function (span) {
        if (typeof span === 'number') {
          node.append(newText.slice(at, at + span));
          at += span;
        } else if (span.charAt(0) === '-') {
          node.append(el('del', { text: span.slice(1) }));
        } else {
          node.append(el('ins', { text: span.slice(1) }));
          at += span.length - 1;
        }
      });
      return node;
    }

    // ---- header and overview ---------------------------------------------------

    function drawMeta() {
      var parts = ['作成 ' + data.generated, 'fiscdex ' + data.fiscdex,
                   docs.length + ' 文書', criteria.length + ' 基準'];
      if (data.selection) parts.push('対象: ' + data.selection);
      if (data.editions.length) {
        parts.push('基準の一覧は FISC ' + data.editions.map(function (e) {
          return e < 0 ? '版不明' : '第' + e + '版';
        }).join('・') + ' の索引済み文書に現れた基準IDの和集合');
      }
      document.getElementById('meta').textContent = parts.join(' ／ ');
    }

    function drawOverview() {
      var head = el('tr', null, el('th', { text: '#' }), el('th', { text: 'ベンダー' }),
                    el('th', { text: '文書' }), el('th', { text: '版' }), el('th', { text: 'FISC' }),
                    el('th', { text: '日付' }), el('th', { text: '回答数' }),
                    el('th', { text: '内訳' }));
      data.statuses.forEach(function (s) {
        head.append(el('th', { class: 'count', title: s.label + ' (' + s.key + ')', text: s.glyph }));
      });
      var body = el('tbody');
      docs.forEach(function (d, i) {
        var vendor = el('button', { class: 'jump', type: 'button', text: d.vendor,
                                    title: 'ベンダー別に表示' });
        vendor.addEventListener('click', function () { showVendor(i, true); });
        var row = el('tr', null, el('td', { class: 'num', text: String(i + 1) }), el('td', null, vendor),
                     el('td', { title: d.path }, el('div', { text: d.title || d.file }),
                        el('div', { class: 'evidence', text: d.file })),
                     el('td', { text: d.version_label || (d.version + '/' + d.versions) }),
                     el('td', { text: d.edition ? '第' + d.edition + '版' : '—' }),
                     el('td', { text: d.date || '—' }),
                     el('td', { class: 'num', text: String(d.records) }),
                     el('td', null, bar(d.counts)));
        d.counts.forEach(function (n) {
          row.append(el('td', { class: 'count' + (n ? '' : ' zero'), text: String(n) }));
        });
        body.append(row);
      });
      var table = el('table', { class: 'grid overview' }, el('thead', null, head), body);
      document.getElementById('overview-body').append(table);
    }

    // ---- heatmap ---------------------------------------------------------------

    var heatRows = [];      // tr per criterion row
    var familyParts = {};   // family -> the part holding its table

    function drawLegend() {
      document.querySelectorAll('.status-legend').forEach(function (legend) {
        data.statuses.concat([NOT_IN_EDITION]).forEach(function (s) {
          legend.append(el('span', { class: 'key', title: s.meaning },
                           el('span', { class: 'swatch c-' + s.letter, text: s.glyph || ' ' }),
                           s.label + ' (' + s.key + ')'));
        });
      });
    }

    // One table per family, each in a part the browser lays out only when it
    // is scrolled to (content-visibility): laying out every row of 400
    // criteria × 50 vendors at once was most of the time a report took to
    // open. Each part has its own header row, which also heads each family's
    // pages when printed.
    function drawHeatmap() {
      var container = document.getElementById('heat');
      var families = [];
      criteria.forEach(function (c, row) {
        var last = families[families.length - 1];
        if (!last || last.family !== c.family) families.push(last = { family: c.family, rows: [] });
        last.rows.push(row);
      });
      families.forEach(function (part) {
        var columns = el('colgroup', null, el('col', { class: 'rowhead' }));
        docs.forEach(function () { columns.append(el('col', { class: 'cell' })); });
        var name = data.families[part.family] || '';
        var head = el('tr', null, el('th', { class: 'corner', scope: 'col',
                                             text: part.family + ' ' + name + '（' + part.rows.length + ' 基準）' }));
        docs.forEach(function (d, i) {
          head.append(el('th', { class: 'vendor', scope: 'col', title: documentName(d) + '\n' + d.path,
                                 'data-d': i }, el('span', { text: d.label })));
        });
        var body = el('tbody');
        part.rows.forEach(function (row) {
          var c = criteria[row];
          var tr = el('tr', { 'data-r': row },
                      el('th', { class: 'row', scope: 'row', title: c.id + ' ' + (c.title || '') },
                         el('b', { text: c.id }), el('span', { text: c.title || '' })));
          var letters = cells[row];
          for (var d = 0; d < letters.length; d++) {
            var letter = letters.charAt(d);
            var s = statusOf(letter);
            // Implemented, the common case, is the one filled cell without a
            // glyph: shaping 20 000 glyphs was most of the time to open a
            // report of 50 vendors, and the exceptions read better among
            // plain cells.
            tr.append(el('td', { class: 'c-' + s.letter, text: letter === 'i' ? null : s.glyph }));
          }
          heatRows.push(tr);
          body.append(tr);
        });
        var wrapper = el('div', { class: 'heat-part', 'data-family': part.family },
                         el('table', { class: 'heat' }, columns, el('thead', null, head), body));
        wrapper.style.containIntrinsicSize = 'auto ' + (part.rows.length * 22 + 180) + 'px';
        familyParts[part.family] = wrapper;
        container.append(wrapper);
      });
      container.addEventListener('click', function (event) {
        var target = event.target.closest('td, th.row, th.vendor');
        if (!target) return;
        if (target.matches('th.vendor')) { showVendor(Number(target.getAttribute('data-d')), true); return; }
        var tr = target.closest('tr');
        var row = Number(tr.getAttribute('data-r'));
        if (target.matches('th.row')) { showCriterion(row, true); return; }
        showCell(row, target.cellIndex - 1, target);
      });
      // The keyboard: one cell at a time is in the tab order (a roving
      // tabindex); the arrows move it across vendors and visible criteria,
      // Enter or Space shows its answer.
      var first = container.querySelector('td');
      if (first) first.tabIndex = 0;
      container.addEventListener('keydown', function (event) {
        var td = event.target;
        if (!td.matches || !td.matches('td')) return;
        var row = heatRows.indexOf(td.parentNode);
        var column = td.cellIndex;
        var next = null;
        if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
          next = td.parentNode.cells[column + (event.key === 'ArrowRight' ? 1 : -1)];
          if (next && next.tagName !== 'TD') next = null;
        } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
          var step = event.key === 'ArrowDown' ? 1 : -1;
          for (var r = row + step; r >= 0 && r < heatRows.length; r += step) {
            if (!heatRows[r].hidden && !heatRows[r].closest('.heat-part').hidden) {
              next = heatRows[r].cells[column];
              break;
            }
          }
        } else if (event.key === 'Enter' || event.key === ' ') {
          event.preventDefault();
          showCell(Number(td.parentNode.getAttribute('data-r')), column - 1, td);
          return;
        } else {
          return;
        }
        event.preventDefault();
        if (!next) return;
        td.tabIndex = -1;
        next.tabIndex = 0;
        next.focus();
      });
    }

    var selectedCell = null;
    function closeDetail() {
      document.getElementById('detail').hidden = true;
      if (selectedCell) selectedCell.classList.remove('selected');
    }
    function showCell(row, d, td) {
      if (selectedCell) selectedCell.classList.remove('selected');
      selectedCell = td;
      if (td) td.classList.add('selected');
      var c = criteria[row];
      var doc = docs[d];
      var answer = answers[d][row];
      var letter = cells[row].charAt(d);
      var body = document.getElementById('detail-body');
      body.replaceChildren();
      var toCriterion = el('button', { class: 'jump', type: 'button', text: '全ベンダーの回答を比べる' });
      toCriterion.addEventListener('click', function () { closeDetail(); showCriterion(row, true); });
      var toVendor = el('button', { class: 'jump', type: 'button', text: 'このベンダーの全回答' });
      toVendor.addEventListener('click', function () { closeDetail(); showVendor(d, true); });
      body.append(el('h3', { text: c.id + ' ' + (c.title || '') }),
                  el('div', null, el('b', { text: doc.vendor }), ' ', badge(letter)),
                  el('div', { class: 'evidence', text: doc.file + (answer ? ' p.' + answer[4] : '') }));
      if (answer) {
        body.append(answerBlock(answer));
      } else {
        body.append(el('p', { text: letter === 'm' ? 'この文書はこの基準に触れていません。'
                                                   : 'この文書の版にはこの基準がありません。' }));
      }
      body.append(el('p', null, toCriterion, '　', toVendor));
      document.getElementById('detail').hidden = false;
    }

    // ---- criterion view --------------------------------------------------------

    var criterionRow = 0;
    var criterionRows = [];
    var criterionHeadText = '';

    function drawCriterionPicker() {
      var select = document.getElementById('criterion-select');
      criteria.forEach(function (c, row) {
        select.append(new Option(c.id + '　' + (c.title || ''), String(row)));
      });
      select.addEventListener('change', function () { showCriterion(Number(select.value), false); });
      document.getElementById('criterion-prev').addEventListener('click', function () {
        if (criterionRow > 0) showCriterion(criterionRow - 1, false);
      });
      document.getElementById('criterion-next').addEventListener('click', function () {
        if (criterionRow + 1 < criteria.length) showCriterion(criterionRow + 1, false);
      });
    }

    function showCriterion(row, scroll) {
      if (row === undefined || !criteria[row]) return;
      criterionRow = row;
      document.getElementById('criterion-select').value = String(row);
      var c = criteria[row];
      var body = el('tbody');
      criterionRows = [];
      criterionHeadText = fold(c.id + '\u0001' + (c.title || ''));
      docs.forEach(function (d, i) {
        var letter = cells[row].charAt(i);
        var answer = answers[i][row];
        var tr = el('tr', { 'data-d': i, class: ATTENTION[letter] ? 'attention' : null },
                    el('td', null, el('b', { text: d.vendor }),
                       el('div', { class: 'evidence', text: d.file + (answer ? ' p.' + answer[4] : '') })),
                    el('td', null, badge(letter)),
                    el('td', null, answer ? answerBlock(answer) : null));
        tr.searchText = answer ? fold(answerText(answer)) : '';
        criterionRows.push(tr);
        body.append(tr);
      });
      var out = document.getElementById('criterion-body');
      out.replaceChildren(el('h3', { text: c.id + '　' + (c.title || '') }),
                          el('table', { class: 'grid' },
                             el('thead', null, el('tr', null, el('th', { text: 'ベンダー' }),
                                                  el('th', { text: '判定' }), el('th', { text: '回答' }))),
                             body));
      applyFilter();
      if (scroll) document.getElementById('criterion').scrollIntoView();
    }

    // ---- vendor view -----------------------------------------------------------

    var vendorIndex = 0;
    var vendorRows = [];

    function drawVendorPicker() {
      var select = document.getElementById('vendor-select');
      docs.forEach(function (d, i) { select.append(new Option(documentName(d) + '　' + d.file, String(i))); });
      select.addEventListener('change', function () { showVendor(Number(select.value), false); });
      document.getElementById('vendor-attention').addEventListener('change', applyFilter);
    }

    function idChips(rows) {
      var box = el('div', { class: 'chips' });
      rows.forEach(function (row) { box.append(el('span', { class: 'chip', text: criteria[row].id })); });
      return box;
    }

    function drawChanges(d, i) {
      var box = el('div', { class: 'changes' });
      if (!d.previous) {
        box.append(el('p', { text: 'この文書より前の版は索引にありません（変更点なし）。' }));
        return box;
      }
      var p = d.previous;
      box.append(el('h3', { text: '前の版からの変更: ' + (p.version_label || ('v' + p.version)) + '（' +
                                    p.file + (p.date ? '、' + p.date : '') + '）→ 本版' }));
      var ch = d.changes;
      if (!ch.added.length && !ch.removed.length && !ch.status.length && !ch.answer.length) {
        box.append(el('p', { text: '変更はありません。' }));
        return box;
      }
      if (ch.added.length) box.append(el('div', { text: '追加された基準（' + ch.added.length + '）' }), idChips(ch.added));
      if (ch.removed.length) {
        var removed = el('div', { class: 'chips' });
        ch.removed.forEach(function (r) {
          removed.append(el('span', { class: 'chip', text: r[0] + '（前版: ' + statusOf(r[1]).label + '）' }));
        });
        box.append(el('div', { text: '削除された基準（' + ch.removed.length + '）' }), removed);
      }
      var list = el('table', { class: 'grid' });
      var body = el('tbody');
      function changeRow(row, oldLetter) {
        var answer = answers[i][row];
        var spans = ch.diffs[String(row)];
        body.append(el('tr', { 'data-r': row },
                       el('td', null, el('b', { text: criteria[row].id })),
                       el('td', null, oldLetter ? badge(oldLetter) : null, oldLetter ? ' → ' : null,
                          badge(cells[row].charAt(i))),
                       el('td', null, spans && answer ? diffNode(spans, answer[2]) : null)));
      }
      ch.status.forEach(function (s) { changeRow(s[0], s[1]); });
      ch.answer.forEach(function (row) { changeRow(row, null); });
      if (body.childNodes.length) {
        box.append(el('div', { text: '判定または回答が変わった基準（' + body.childNodes.length + '）' }),
                   el('table', { class: 'grid changed' },
                      el('thead', null, el('tr', null, el('th', { text: '基準' }), el('th', { text: '判定' }),
                                           el('th', { text: '回答の変更（削除・追加）' }))),
                      body));
      }
      return box;
    }

    function showVendor(i, scroll) {
      if (!docs[i]) return;
      vendorIndex = i;
      document.getElementById('vendor-select').value = String(i);
      var d = docs[i];
      var info = el('dl', { class: 'docinfo' },
                    el('dt', { text: 'ベンダー' }), el('dd', { text: d.vendor }),
                    el('dt', { text: '文書' }), el('dd', { text: (d.title || '') + '　' + d.path }),
                    el('dt', { text: '版' }), el('dd', { text: (d.version_label || '') + '（' + d.version + '/' + d.versions + '）' }),
                    el('dt', { text: 'FISC' }), el('dd', { text: d.edition ? '第' + d.edition + '版' : '—' }),
                    el('dt', { text: '日付' }), el('dd', { text: d.date || '—' }),
                    el('dt', { text: '内訳' }), el('dd', null, bar(d.counts)));
      var body = el('tbody');
      vendorRows = [];
      criteria.forEach(function (c, row) {
        var letter = cells[row].charAt(i);
        if (letter === '.') return;
        var answer = answers[i][row];
        var tr = el('tr', { 'data-r': row, class: ATTENTION[letter] ? 'attention' : null },
                    el('td', null, el('b', { text: c.id }), el('div', { class: 'evidence', text: c.title || '' })),
                    el('td', null, badge(letter)),
                    el('td', null, answer ? answerBlock(answer) : null));
        tr.letter = letter;
        tr.searchText = fold(c.id + '\u0001' + (c.title || '') + '\u0001' + (answer ? answerText(answer) : ''));
        vendorRows.push(tr);
        body.append(tr);
      });
      document.getElementById('vendor-body').replaceChildren(
          info, drawChanges(d, i),
          el('h3', { text: '回答一覧' }),
          el('table', { class: 'grid records' },
             el('thead', null, el('tr', null, el('th', { text: '基準' }), el('th', { text: '判定' }),
                                  el('th', { text: '回答' }))),
             body));
      applyFilter();
      if (scroll) document.getElementById('vendor').scrollIntoView();
    }

    // ---- filter ----------------------------------------------------------------

    // Width, case and compatibility forms do not matter (NFKC, lower case).
    function fold(text) { return text.normalize('NFKC').toLowerCase(); }

    function answerText(answer) {
      var text = answer[2];
      if (answer[5]) answer[5].forEach(function (c) { text += '\u0001' + c[2]; });
      return text;
    }

    var rowText = null;  // per criterion row: its ID, title and every answer, folded
    function heatRowText() {
      if (rowText) return rowText;
      rowText = criteria.map(function (c, row) {
        var parts = [c.id, c.title || ''];
        for (var d = 0; d < docs.length; d++) {
          var answer = answers[d][row];
          if (answer) parts.push(answerText(answer));
        }
        return fold(parts.join('\u0001'));
      });
      return rowText;
    }

    function applyFilter() {
      var query = fold(document.getElementById('filter').value.trim());
      var terms = query ? query.split(/\s+/) : [];
      function matches(text) {
        for (var t = 0; t < terms.length; t++) if (text.indexOf(terms[t]) < 0) return false;
        return true;
      }
      var shown = 0;
      var familyShown = {};
      var texts = terms.length ? heatRowText() : null;
      heatRows.forEach(function (tr, row) {
        var visible = !terms.length || matches(texts[row]);
        tr.hidden = !visible;
        if (visible) { shown++; familyShown[criteria[row].family] = true; }
      });
      Object.keys(familyParts).forEach(function (f) { familyParts[f].hidden = !familyShown[f]; });
      // A criterion found by its own ID or title keeps every vendor's answer.
      var criterionFound = !terms.length || matches(criterionHeadText);
      criterionRows.forEach(function (tr) { tr.hidden = !criterionFound && !matches(tr.searchText); });
      var attentionOnly = document.getElementById('vendor-attention').checked;
      vendorRows.forEach(function (tr) {
        tr.hidden = (terms.length > 0 && !matches(tr.searchText)) || (attentionOnly && !ATTENTION[tr.letter]);
      });
      document.getElementById('filter-count').textContent =
          terms.length ? shown + ' / ' + criteria.length + ' 基準' : '';
    }

    // ---- start -----------------------------------------------------------------

    drawMeta();
    drawLegend();
    drawOverview();
    drawHeatmap();
    drawCriterionPicker();
    drawVendorPicker();
    if (criteria.length) showCriterion(0, false);
    if (docs.length) showVendor(0, false);
    document.getElementById('filter').addEventListener('input', applyFilter);
    document.getElementById('detail-close').addEventListener('click', closeDetail);
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape') closeDetail();
    });
    document.body.setAttribute('data-ready', '1');
    // When the first frame with everything drawn is on screen: what a reader
    // waits for, measured by bench/report_open.py.
    requestAnimationFrame(function () {
      setTimeout(function () {
        document.body.setAttribute('data-painted-ms', String(Math.round(performance.now())));
      }, 0);
    });
  }
})();
