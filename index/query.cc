// The query is read in two passes: a lexer cuts it into words, quoted
// phrases and operators (white space includes the ideographic space U+3000,
// quotes include “ ” and ＂), then a parser checks where the operators stand
// and builds an AND of OR-groups plus a list of exclusions. FTS5 is given
// explicit parentheses, so its own operator precedence never matters.
#include "index/query.h"

#include <string>
#include <vector>

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "index/fts_tokenizer.h"
#include "index/synonyms.h"
#include "normalize/normalize.h"

namespace fiscdex::index {
namespace {

enum class LexKind { kTerm, kOr, kAnd, kNot, kMinus };

struct Lexeme {
  LexKind kind = LexKind::kTerm;
  std::string text;       // kTerm: the raw word or phrase
  bool excluded = false;  // kTerm: written as -word or -"phrase"
  bool quoted = false;    // kTerm: a "phrase", matched as written
};

// A term as the parser keeps it.
struct Term {
  std::string text;
  bool quoted = false;
};

// Byte length of a white-space character at `s[i]`, or 0.
size_t SpaceAt(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return 1;
  if (s.compare(i, 3, "\u3000") == 0) return 3;
  return 0;
}

// Byte length of a quote character at `s[i]`, or 0.
size_t QuoteAt(std::string_view s, size_t i) {
  if (s[i] == '"') return 1;
  for (std::string_view q : {"\uFF02", "\u201C", "\u201D"}) {
    if (s.compare(i, q.size(), q) == 0) return q.size();
  }
  return 0;
}

// Byte length of an exclusion minus at `s[i]` ('-' or full-width '－'), or 0.
size_t MinusAt(std::string_view s, size_t i) {
  if (s[i] == '-') return 1;
  if (s.compare(i, 3, "\uFF0D") == 0) return 3;
  return 0;
}

Status QueryError(std::string_view query, std::string_view problem) {
  std::string message = "query \"";
  message.append(query);
  message += "\": ";
  message.append(problem);
  return Status::InvalidArgument(message);
}

Result<std::vector<Lexeme>> Lex(std::string_view query) {
  std::vector<Lexeme> out;
  size_t i = 0;
  const size_t n = query.size();
  while (i < n) {
    if (size_t w = SpaceAt(query, i)) {
      i += w;
      continue;
    }
    bool excluded = false;
    if (size_t m = MinusAt(query, i)) {
      // A minus is an exclusion only when glued to what follows: "- x"
      // leaves it without an operand.
      if (i + m >= n || SpaceAt(query, i + m) != 0) {
        out.push_back(Lexeme{LexKind::kMinus, "-", false});
        i += m;
        continue;
      }
      excluded = true;
      i += m;
    }
    if (size_t q = QuoteAt(query, i)) {
      size_t start = i + q;
      size_t j = start;
      size_t close = 0;
      while (j < n && (close = QuoteAt(query, j)) == 0) ++j;
      if (j >= n) return QueryError(query, "unbalanced quote");
      out.push_back(
          Lexeme{LexKind::kTerm, std::string(query.substr(start, j - start)), excluded, true});
      i = j + close;
      continue;
    }
    size_t start = i;
    while (i < n && SpaceAt(query, i) == 0 && QuoteAt(query, i) == 0) ++i;
    std::string_view word = query.substr(start, i - start);
    if (!excluded && word == "OR") {
      out.push_back(Lexeme{LexKind::kOr, "OR", false});
    } else if (!excluded && word == "AND") {
      out.push_back(Lexeme{LexKind::kAnd, "AND", false});
    } else if (!excluded && word == "NOT") {
      out.push_back(Lexeme{LexKind::kNot, "NOT", false});
    } else {
      out.push_back(Lexeme{LexKind::kTerm, std::string(word), excluded});
    }
  }
  return out;
}

// An FTS5 string: the folded term in double quotes, inner quotes doubled.
std::string Quote(std::string_view folded) {
  std::string out = "\"";
  for (char c : folded) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

// True when the last character of `folded` is a kanji (Han script, 々 too).
bool EndsWithKanji(std::string_view folded) {
  if (folded.empty()) return false;
  const auto* p = reinterpret_cast<const uint8_t*>(folded.data());
  int32_t i = static_cast<int32_t>(folded.size());
  UChar32 c;
  U8_PREV(p, 0, i, c);
  if (c < 0) return false;
  UErrorCode ec = U_ZERO_ERROR;
  return uscript_getScript(c, &ec) == USCRIPT_HAN && U_SUCCESS(ec);
}

// One folded member as an FTS5 phrase: a bare term ending in a kanji gets
// FTS5's prefix mark, so its last token also matches a longer morpheme
// (アクセス権 finds アクセス権限, whose tokens are アクセス and 権限).
std::string Phrase(const std::string& folded, bool bare) {
  std::string out = Quote(folded);
  if (bare && EndsWithKanji(folded)) out += " *";
  return out;
}

std::string OperatorProblem(std::string_view op) {
  return std::string(op) + " with nothing on one side";
}

}  // namespace

Result<std::string> ToFtsQuery(std::string_view query) {
  return ToFtsQuery(query, Synonyms::Default());
}

Result<std::string> ToFtsQuery(std::string_view query, const Synonyms& synonyms) {
  ASSIGN_OR_RETURN(std::vector<Lexeme> lexemes, Lex(query));

  // What the previous lexeme left the parser expecting.
  enum class Prev { kStart, kTerm, kExcluded, kOr, kAnd, kNot };
  Prev prev = Prev::kStart;
  std::string_view pending_op;                   // the operator that kOr/kAnd/kNot stands for
  std::vector<std::vector<Term>> groups;  // AND of ORs, raw terms
  std::vector<Term> excluded;

  for (Lexeme& lx : lexemes) {
    switch (lx.kind) {
      case LexKind::kMinus:
        return QueryError(query, OperatorProblem("-"));
      case LexKind::kOr:
        if (prev != Prev::kTerm) return QueryError(query, OperatorProblem("OR"));
        prev = Prev::kOr;
        pending_op = "OR";
        break;
      case LexKind::kAnd:
        if (prev != Prev::kTerm && prev != Prev::kExcluded) {
          return QueryError(query, OperatorProblem("AND"));
        }
        prev = Prev::kAnd;
        pending_op = "AND";
        break;
      case LexKind::kNot:
        // "a OR NOT b" and "NOT NOT b" leave the first operator without a
        // term on its right.
        if (prev == Prev::kOr || prev == Prev::kNot) {
          return QueryError(query, OperatorProblem(pending_op));
        }
        prev = Prev::kNot;
        pending_op = "NOT";
        break;
      case LexKind::kTerm:
        if (lx.excluded) {
          if (prev == Prev::kOr || prev == Prev::kNot) {
            return QueryError(query, OperatorProblem(pending_op));
          }
          excluded.push_back(Term{std::move(lx.text), lx.quoted});
          prev = Prev::kExcluded;
        } else if (prev == Prev::kNot) {
          excluded.push_back(Term{std::move(lx.text), lx.quoted});
          prev = Prev::kExcluded;
        } else if (prev == Prev::kOr) {
          groups.back().push_back(Term{std::move(lx.text), lx.quoted});
          prev = Prev::kTerm;
        } else {
          groups.push_back({Term{std::move(lx.text), lx.quoted}});
          prev = Prev::kTerm;
        }
        break;
    }
  }
  if (prev == Prev::kOr || prev == Prev::kAnd || prev == Prev::kNot) {
    return QueryError(query, OperatorProblem(pending_op));
  }

  // Fold every term and drop those that can match nothing; a bare term in a
  // synonym group becomes the OR of the group's members.
  auto expand = [&synonyms](const Term& term) -> std::string {
    std::string folded = normalize::FoldForSearch(term.text);
    if (!HasLetterOrDigit(folded)) return {};
    const std::vector<std::string>* group = term.quoted ? nullptr : synonyms.GroupOf(term.text);
    if (group == nullptr) return Phrase(folded, !term.quoted);
    std::string out = "(";
    for (const std::string& member : *group) {
      std::string folded_member = normalize::FoldForSearch(member);
      if (!HasLetterOrDigit(folded_member)) continue;
      if (out.size() > 1) out += " OR ";
      out += Phrase(folded_member, true);
    }
    return out + ")";
  };
  auto fold = [&expand](const std::vector<Term>& terms) {
    std::vector<std::string> kept;
    for (const Term& term : terms) {
      std::string phrase = expand(term);
      if (!phrase.empty()) kept.push_back(std::move(phrase));
    }
    return kept;
  };
  std::vector<std::vector<std::string>> kept_groups;
  for (const auto& group : groups) {
    std::vector<std::string> kept = fold(group);
    if (!kept.empty()) kept_groups.push_back(std::move(kept));
  }
  const std::vector<std::string> excluded_phrases = fold(excluded);
  if (kept_groups.empty()) {
    if (!excluded_phrases.empty()) return QueryError(query, "only excluded terms");
    return QueryError(query, "empty query");
  }

  const bool bare = kept_groups.size() == 1 && excluded_phrases.empty();
  std::string positive;
  for (size_t g = 0; g < kept_groups.size(); ++g) {
    const auto& group = kept_groups[g];
    if (g > 0) positive += " AND ";
    if (group.size() > 1 && !bare) positive += '(';
    for (size_t t = 0; t < group.size(); ++t) {
      if (t > 0) positive += " OR ";
      positive += group[t];
    }
    if (group.size() > 1 && !bare) positive += ')';
  }
  if (excluded_phrases.empty()) return positive;
  std::string out = kept_groups.size() > 1 ? "(" + positive + ")" : positive;
  for (const std::string& term : excluded_phrases) {
    out += " NOT ";
    out += term;
  }
  return out;
}

std::vector<QueryTerm> PositiveTerms(std::string_view fts_expression) {
  // ToFtsQuery puts every exclusion at the end, after the first " NOT ".
  std::vector<QueryTerm> out;
  size_t i = 0;
  while (i < fts_expression.size()) {
    if (fts_expression.compare(i, 5, " NOT ") == 0) break;
    if (fts_expression[i] != '"') {
      ++i;
      continue;
    }
    QueryTerm term;
    for (++i; i < fts_expression.size(); ++i) {
      if (fts_expression[i] == '"') {
        if (i + 1 < fts_expression.size() && fts_expression[i + 1] == '"') {
          term.text += '"';
          ++i;
          continue;
        }
        break;
      }
      term.text += fts_expression[i];
    }
    ++i;  // the closing quote
    term.prefix = fts_expression.compare(i, 2, " *") == 0;
    out.push_back(std::move(term));
  }
  return out;
}

}  // namespace fiscdex::index
