#include "ingest/inline_markup.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#include "ingest/text_util.h"

namespace fiscdex::ingest::internal {
namespace {

// Tags longer than this are not tags: it bounds the rescanning a stray '<'
// or an unterminated quote can cause.
constexpr size_t kMaxTagLength = 64 * 1024;

struct NamedEntity {
  std::string_view name;
  char32_t code_point;
};

// Sorted by name for binary search. The XML five, NBSP, and the typographic
// references word processors and wikis emit.
constexpr std::array<NamedEntity, 47> kNamedEntities = {{
    {"AMP", '&'},       {"GT", '>'},        {"LT", '<'},       {"QUOT", '"'},
    {"amp", '&'},       {"apos", '\''},     {"bull", 0x2022},  {"cent", 0xA2},
    {"copy", 0xA9},     {"dagger", 0x2020}, {"deg", 0xB0},     {"divide", 0xF7},
    {"emsp", 0x2003},   {"ensp", 0x2002},   {"euro", 0x20AC},  {"gt", '>'},
    {"hellip", 0x2026}, {"laquo", 0xAB},    {"larr", 0x2190},  {"ldquo", 0x201C},
    {"lsaquo", 0x2039}, {"lsquo", 0x2018},  {"lt", '<'},       {"mdash", 0x2014},
    {"micro", 0xB5},    {"middot", 0xB7},   {"minus", 0x2212}, {"nbsp", 0xA0},
    {"ndash", 0x2013},  {"para", 0xB6},     {"plusmn", 0xB1},  {"pound", 0xA3},
    {"quot", '"'},      {"raquo", 0xBB},    {"rarr", 0x2192},  {"rdquo", 0x201D},
    {"reg", 0xAE},      {"rsaquo", 0x203A}, {"rsquo", 0x2019}, {"sect", 0xA7},
    {"shy", 0xAD},      {"thinsp", 0x2009}, {"times", 0xD7},   {"trade", 0x2122},
    {"yen", 0xA5},      {"zwj", 0x200D},    {"zwnj", 0x200C},
}};
static_assert(std::is_sorted(kNamedEntities.begin(), kNamedEntities.end(),
                             [](const NamedEntity& a, const NamedEntity& b) {
                               return a.name < b.name;
                             }),
              "kNamedEntities must stay sorted for the binary search");

bool IsTagNameChar(char c) { return IsAsciiAlnum(c) || c == '-' || c == ':' || c == '_'; }

// Walks the attributes of a tag, calling fn(name, value) for each; the value
// is raw (quotes removed, entities not decoded). Returns false on an
// unterminated quote.
template <typename Fn>
bool ForEachAttribute(std::string_view a, Fn&& fn) {
  size_t i = 0;
  const size_t n = a.size();
  while (i < n) {
    while (i < n && (IsAsciiSpace(a[i]) || a[i] == '/')) ++i;
    if (i >= n) break;
    const size_t name_begin = i;
    while (i < n && !IsAsciiSpace(a[i]) && a[i] != '=' && a[i] != '/') ++i;
    std::string_view name = a.substr(name_begin, i - name_begin);
    size_t j = i;
    while (j < n && IsAsciiSpace(a[j])) ++j;
    std::string_view value;
    if (j < n && a[j] == '=') {
      ++j;
      while (j < n && IsAsciiSpace(a[j])) ++j;
      if (j < n && (a[j] == '"' || a[j] == '\'')) {
        const size_t close = a.find(a[j], j + 1);
        if (close == std::string_view::npos) return false;
        value = a.substr(j + 1, close - j - 1);
        i = close + 1;
      } else {
        const size_t value_begin = j;
        while (j < n && !IsAsciiSpace(a[j])) ++j;
        value = a.substr(value_begin, j - value_begin);
        i = j;
      }
    }
    if (!name.empty()) fn(name, value);
    if (i == name_begin) ++i;  // a lone '=' or similar: make progress
  }
  return true;
}

// The end of the attribute area of a start tag: the offset of its '>', or
// npos. Quotes are honoured only where an attribute value may start (after
// '='), as HTML tokenizers do.
size_t FindTagEnd(std::string_view s, size_t i) {
  const size_t limit = std::min(s.size(), kMaxTagLength);
  bool after_equals = false;
  while (i < limit) {
    const char c = s[i];
    if (c == '>') return i;
    if (after_equals && (c == '"' || c == '\'')) {
      const size_t close = s.substr(0, limit).find(c, i + 1);
      if (close == std::string_view::npos) return std::string_view::npos;
      i = close + 1;
      after_equals = false;
      continue;
    }
    // A '<' outside quotes means this was no tag ("a <b c <d>"); stopping
    // here also keeps a run of stray '<' from being rescanned to the limit.
    if (c == '<') return std::string_view::npos;
    if (c == '=') {
      after_equals = true;
    } else if (!IsAsciiSpace(c)) {
      after_equals = false;
    }
    ++i;
  }
  return std::string_view::npos;
}

// The tags word-processor exports put into plain-text table cells, and what
// they do to the text.
enum class TagEffect { kRemove, kLineBreak, kCellSeparator };

bool KnownTextTag(std::string_view name, TagEffect* effect) {
  static constexpr std::string_view kBreaks[] = {
      "br", "p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "caption"};
  static constexpr std::string_view kRemoved[] = {"b",    "i", "u",   "strong", "em",       "span",
                                                  "font", "a", "sup", "sub",    "colgroup", "col"};
  for (std::string_view t : kBreaks) {
    if (name == t) {
      *effect = TagEffect::kLineBreak;
      return true;
    }
  }
  if (name == "td" || name == "th") {
    *effect = TagEffect::kCellSeparator;
    return true;
  }
  for (std::string_view t : kRemoved) {
    if (name == t) {
      *effect = TagEffect::kRemove;
      return true;
    }
  }
  return false;
}

// Markdown shows any raw tag; block-level ones break the line.
TagEffect MarkdownTagEffect(std::string_view name) {
  TagEffect effect;
  if (KnownTextTag(name, &effect)) return effect;
  static constexpr std::string_view kBlocks[] = {
      "h1",     "h2",         "h3",     "h4",     "h5",      "h6",      "blockquote", "pre",
      "hr",     "dl",         "dt",     "dd",     "section", "article", "details",    "summary",
      "figure", "figcaption", "header", "footer", "nav",     "aside",   "address",    "center"};
  for (std::string_view t : kBlocks) {
    if (name == t) return TagEffect::kLineBreak;
  }
  return TagEffect::kRemove;
}

// Builds rendered HTML-ish text with browser white-space collapsing.
class CollapsingWriter {
 public:
  explicit CollapsingWriter(std::string* out) : out_(out) {}

  void Space() { pending_space_ = true; }
  // Appends visible text (no white space to collapse inside).
  void Decoded(std::string_view s) {
    if (s.empty()) return;
    if (pending_space_ && !out_->empty() && out_->back() != '\n' && out_->back() != '\t') {
      out_->push_back(' ');
    }
    pending_space_ = false;
    out_->append(s);
  }
  void LineBreak() {
    pending_space_ = false;
    out_->push_back('\n');
  }
  void CellSeparator() {
    pending_space_ = false;
    if (!out_->empty() && out_->back() != '\n') out_->push_back('\t');
  }

 private:
  std::string* out_;
  bool pending_space_ = false;
};

// ---- Markdown inline ----

// Unicode classes for the emphasis flanking rules.
enum class CharClass { kSpace, kPunct, kOther };

CharClass ClassOf(UChar32 cp) {
  if (cp < 0) return CharClass::kSpace;  // line start / end
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (IsAsciiSpace(c)) return CharClass::kSpace;
    if (IsAsciiPunct(c)) return CharClass::kPunct;
    return CharClass::kOther;
  }
  if (u_isUWhiteSpace(cp)) return CharClass::kSpace;
  if (u_ispunct(cp)) return CharClass::kPunct;
  switch (u_charType(cp)) {
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_MODIFIER_SYMBOL:
    case U_OTHER_SYMBOL:
      return CharClass::kPunct;
    default:
      return CharClass::kOther;
  }
}

UChar32 CodePointBefore(std::string_view s, size_t i) {
  if (i == 0) return -1;
  int32_t offset = static_cast<int32_t>(i);
  UChar32 cp;
  U8_PREV(reinterpret_cast<const uint8_t*>(s.data()), 0, offset, cp);
  return cp;
}

UChar32 CodePointAt(std::string_view s, size_t i) {
  if (i >= s.size()) return -1;
  int32_t offset = static_cast<int32_t>(i);
  UChar32 cp;
  U8_NEXT(reinterpret_cast<const uint8_t*>(s.data()), offset, static_cast<int32_t>(s.size()), cp);
  return cp;
}

// Length of the run of `c` starting at s[i].
size_t RunLength(std::string_view s, size_t i, char c) {
  size_t j = i;
  while (j < s.size() && s[j] == c) ++j;
  return j - i;
}

// Longest link destination (with title) looked for after "](": real URLs
// are far shorter; the bound keeps a line of "](" pairs linear.
constexpr size_t kMaxLinkDestination = 4096;

// The ')' that ends a link destination and title opened at s[open] == '(', or npos.
size_t FindClosingParen(std::string_view s, size_t open) {
  const size_t limit = std::min(s.size(), open + kMaxLinkDestination);
  int depth = 0;
  for (size_t i = open; i < limit; ++i) {
    const char c = s[i];
    if (c == '\\') {
      ++i;
    } else if (c == '"' && depth == 1) {
      const size_t close = s.substr(0, limit).find('"', i + 1);
      if (close == std::string_view::npos) return close;
      i = close;
    } else if (c == '<' && i == open + 1) {
      const size_t close = s.substr(0, limit).find('>', i + 1);
      if (close == std::string_view::npos) return close;
      i = close;
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return i;
    }
  }
  return std::string_view::npos;
}

// Length of an autolink "<scheme:...>" or "<user@host>" at s[0], or 0;
// *url receives the text between the brackets.
size_t ScanAutolink(std::string_view s, std::string_view* url) {
  size_t i = 1;
  const size_t limit = std::min(s.size(), kMaxTagLength);
  if (i < limit && IsAsciiAlpha(s[i])) {
    size_t j = i + 1;
    while (j < limit && (IsAsciiAlnum(s[j]) || s[j] == '+' || s[j] == '.' || s[j] == '-')) ++j;
    if (j < limit && s[j] == ':' && j - i >= 2 && j - i <= 32) {
      size_t k = j + 1;
      while (k < limit && s[k] != '>' && s[k] != '<' && !IsAsciiSpace(s[k])) ++k;
      if (k < limit && s[k] == '>') {
        *url = s.substr(1, k - 1);
        return k + 1;
      }
    }
  }
  // E-mail autolink.
  size_t k = 1;
  bool at_seen = false;
  while (k < limit && s[k] != '>' && s[k] != '<' && !IsAsciiSpace(s[k]) &&
         static_cast<unsigned char>(s[k]) < 0x80) {
    if (s[k] == '@') {
      if (at_seen) return 0;
      at_seen = true;
    }
    ++k;
  }
  if (at_seen && k < limit && s[k] == '>' && s[1] != '@' && s[k - 1] != '@') {
    *url = s.substr(1, k - 1);
    return k + 1;
  }
  return 0;
}

// Renders one line of Markdown inline syntax.
//
// Text is written to the output as it is scanned; emphasis delimiter runs and
// link openers ('[' and '![') are written too and remembered as Runs, to be
// removed later. Links follow CommonMark's bracket stack: a ']' looks back to
// the nearest '[' opener and, when a destination "(...)" or label "[...]"
// follows, the opener is dropped and the destination skipped, so the link
// text stays. Emphasis inside link text is matched when the link closes;
// the rest at Finish(), which rebuilds the output without the removed runs.
class MarkdownInline {
 public:
  explicit MarkdownInline(std::string* out) : out_(out), base_(out->size()) {}

  void Render(std::string_view s) {
    BacktickMatcher backticks(s);
    size_t i = 0;
    const size_t n = s.size();
    while (i < n) {
      const char c = s[i];
      switch (c) {
        case '\\':
          if (i + 1 < n && IsAsciiPunct(s[i + 1])) {
            out_->push_back(s[i + 1]);
            i += 2;
          } else if (i + 1 == n) {
            ++i;  // a hard line break at the end of a line shows nothing
          } else {
            out_->push_back('\\');
            ++i;
          }
          break;
        case '`': {
          const size_t run = RunLength(s, i, '`');
          const size_t close = backticks.FindClosing(i + run, run);
          if (close == std::string_view::npos) {
            out_->append(run, '`');
            i += run;
          } else {
            std::string_view code = s.substr(i + run, close - i - run);
            if (code.size() >= 2 && code.front() == ' ' && code.back() == ' ' &&
                code.find_first_not_of(' ') != std::string_view::npos) {
              code = code.substr(1, code.size() - 2);
            }
            out_->append(code);
            i = close + run;
          }
          break;
        }
        case '&': {
          const size_t used = DecodeEntity(s.substr(i), out_);
          if (used == 0) {
            out_->push_back('&');
            ++i;
          } else {
            i += used;
          }
          break;
        }
        case '<':
          i += Angle(s.substr(i));
          break;
        case '!':
          if (i + 1 < n && s[i + 1] == '[') {
            OpenBracket(2, /*image=*/true);
            i += 2;
          } else {
            out_->push_back('!');
            ++i;
          }
          break;
        case '[':
          OpenBracket(1, /*image=*/false);
          ++i;
          break;
        case ']':
          i = CloseBracket(s, i);
          break;
        case '*':
        case '_':
          i += Delimiters(s, i, c);
          break;
        default: {
          size_t j = i + 1;
          while (j < n && !IsSpecial(s[j])) ++j;
          out_->append(s.data() + i, j - i);
          i = j;
        }
      }
    }
  }

  // Removes the emphasis markers that pair up and the link openers of links;
  // the rest stay as text.
  void Finish() {
    MatchEmphasis(0);
    bool removed_any = false;
    for (const Run& r : runs_) removed_any |= r.remaining != r.length;
    if (!removed_any) return;
    std::string result(out_->data(), base_);
    size_t copied = base_;
    for (const Run& r : runs_) {
      result.append(out_->data() + copied, r.out_pos - copied);
      if (r.bracket) {
        if (r.remaining > 0) result.append(out_->data() + r.out_pos, r.length);
      } else {
        result.append(static_cast<size_t>(r.remaining), r.c);
      }
      copied = r.out_pos + static_cast<size_t>(r.length);
    }
    result.append(out_->data() + copied, out_->size() - copied);
    *out_ = std::move(result);
  }

  bool saw_break() const { return saw_break_; }

 private:
  struct Run {
    size_t out_pos;
    int length;
    int remaining;  // markers left after matching; a removed link opener has 0
    char c;
    bool can_open;
    bool can_close;
    bool bracket = false;  // a link opener, not emphasis
  };
  struct Opener {
    size_t run;  // index into runs_
    bool image;
    bool active;
  };

  static bool IsSpecial(char c) {
    return c == '\\' || c == '`' || c == '&' || c == '<' || c == '!' || c == '[' || c == ']' ||
           c == '*' || c == '_';
  }

  void OpenBracket(int length, bool image) {
    runs_.push_back(Run{out_->size(), length, length, '[', false, false, true});
    out_->append(image ? "![" : "[");
    openers_.push_back(Opener{runs_.size() - 1, image, true});
  }

  // Handles ']' at s[i]; returns where scanning resumes.
  size_t CloseBracket(std::string_view s, size_t i) {
    if (openers_.empty()) {
      out_->push_back(']');
      return i + 1;
    }
    const Opener opener = openers_.back();
    openers_.pop_back();
    size_t end = std::string_view::npos;
    if (opener.active && i + 1 < s.size()) {
      if (s[i + 1] == '(') {
        // Without a ')' in reach there is no destination to look for.
        const size_t any = NextCloseParen(s, i + 2);
        if (any != std::string_view::npos && any - i <= kMaxLinkDestination) {
          const size_t paren = FindClosingParen(s, i + 1);
          if (paren != std::string_view::npos) end = paren + 1;
        }
      } else if (s[i + 1] == '[') {
        const size_t label_end = s.substr(0, i + 2 + 1000).find_first_of("[]", i + 2);
        if (label_end != std::string_view::npos && s[label_end] == ']') end = label_end + 1;
      }
      // A shortcut reference ("[text]") needs its definition: the brackets stay.
    }
    if (end == std::string_view::npos) {
      out_->push_back(']');
      return i + 1;
    }
    runs_[opener.run].remaining = 0;  // the opener goes; the link text stays
    MatchEmphasis(opener.run + 1);
    for (size_t k = opener.run + 1; k < runs_.size(); ++k) {
      runs_[k].can_open = false;  // emphasis does not cross the link's edges
      runs_[k].can_close = false;
    }
    // No links inside links: the openers before this one are spent.
    if (!opener.image) {
      for (Opener& o : openers_) o.active = false;
    }
    return end;
  }

  // The first ')' at or after `from` (queries come in increasing order).
  size_t NextCloseParen(std::string_view s, size_t from) {
    if (!paren_searched_ ||
        (next_close_paren_ != std::string_view::npos && next_close_paren_ < from)) {
      next_close_paren_ = s.find(')', from);
      paren_searched_ = true;
    }
    return next_close_paren_;
  }

  // Handles '<' at s[0]; returns the bytes consumed.
  size_t Angle(std::string_view s) {
    std::string_view url;
    if (const size_t used = ScanAutolink(s, &url); used > 0) {
      out_->append(url);
      return used;
    }
    HtmlTag tag;
    if (ScanHtmlTag(s, &tag, &tag_memo_)) {
      if (tag.kind == HtmlTag::Kind::kStart || tag.kind == HtmlTag::Kind::kEnd) {
        const TagEffect effect = MarkdownTagEffect(tag.name);
        if (effect == TagEffect::kLineBreak) {
          out_->push_back('\n');
          saw_break_ = true;
        } else if (effect == TagEffect::kCellSeparator && tag.kind == HtmlTag::Kind::kStart &&
                   out_->size() > base_ && out_->back() != '\n') {
          out_->push_back('\t');
        }
      }
      return tag.length;
    }
    out_->push_back('<');
    return 1;
  }

  size_t Delimiters(std::string_view s, size_t i, char c) {
    const size_t len = RunLength(s, i, c);
    const CharClass before = ClassOf(CodePointBefore(s, i));
    const CharClass after = ClassOf(CodePointAt(s, i + len));
    Run run{out_->size(), static_cast<int>(len), static_cast<int>(len), c, false, false};
    if (c == '*') {
      // Looser than CommonMark's flanking rule on purpose: "**「重要」**です"
      // is meant as emphasis in Japanese text, and GitHub users write it so.
      run.can_open = after != CharClass::kSpace;
      run.can_close = before != CharClass::kSpace;
    } else {
      const bool left =
          after != CharClass::kSpace && (after != CharClass::kPunct || before != CharClass::kOther);
      const bool right = before != CharClass::kSpace &&
                         (before != CharClass::kPunct || after != CharClass::kOther);
      // Intraword underscores (AWS-GR_RDS_X, snake_case) are text.
      run.can_open = left && (!right || before == CharClass::kPunct);
      run.can_close = right && (!left || after == CharClass::kPunct);
    }
    out_->append(len, c);
    if (run.can_open || run.can_close) runs_.push_back(run);
    return len;
  }

  // CommonMark's "process emphasis" over runs_[first..], without the output
  // tree: a stack of potential openers; each closer pairs with the nearest
  // usable opener below it (two markers at a time when both have two), and
  // the openers in between are dropped. A failed search raises the floor for
  // closers of its kind, as CommonMark's openers_bottom does, so the work
  // stays linear.
  void MatchEmphasis(size_t first) {
    std::vector<size_t> stack;  // indices into runs_
    // Floors by [marker][closer length % 3][closer can open].
    size_t floor[2][3][2] = {};
    for (size_t ci = first; ci < runs_.size(); ++ci) {
      Run& closer = runs_[ci];
      if (closer.bracket || (!closer.can_open && !closer.can_close)) continue;
      if (closer.can_close) {
        size_t& bottom = floor[closer.c == '*' ? 0 : 1][closer.length % 3][closer.can_open];
        while (closer.remaining > 0) {
          size_t found = std::string_view::npos;
          for (size_t sp = stack.size(); sp-- > bottom;) {
            const Run& opener = runs_[stack[sp]];
            if (opener.c != closer.c) continue;
            const bool odd_match = (opener.can_close || closer.can_open) &&
                                   (opener.length + closer.length) % 3 == 0 &&
                                   !(opener.length % 3 == 0 && closer.length % 3 == 0);
            if (odd_match) continue;
            found = sp;
            break;
          }
          if (found == std::string_view::npos) {
            bottom = stack.size();
            break;
          }
          Run& opener = runs_[stack[found]];
          const int use = (opener.remaining >= 2 && closer.remaining >= 2) ? 2 : 1;
          opener.remaining -= use;
          closer.remaining -= use;
          stack.resize(opener.remaining > 0 ? found + 1 : found);
          for (auto& by_length : floor) {
            for (auto& by_open : by_length) {
              for (size_t& f : by_open) f = std::min(f, stack.size());
            }
          }
        }
      }
      if (closer.remaining > 0 && closer.can_open) stack.push_back(ci);
    }
  }

  std::string* out_;
  size_t base_;
  std::vector<Run> runs_;
  std::vector<Opener> openers_;
  TagScanMemo tag_memo_;
  bool paren_searched_ = false;  // cache for NextCloseParen
  size_t next_close_paren_ = std::string_view::npos;
  bool saw_break_ = false;
};

}  // namespace

size_t BacktickMatcher::FindClosing(size_t from, size_t run) {
  const bool memo = run < no_closer_from_.size();
  if (memo && no_closer_from_[run] <= from) return std::string_view::npos;
  while (from < s_.size()) {
    const size_t at = s_.find('`', from);
    if (at == std::string_view::npos) break;
    size_t len = 0;
    while (at + len < s_.size() && s_[at + len] == '`') ++len;
    if (len == run) return at;
    from = at + len;
  }
  if (memo) no_closer_from_[run] = std::min(no_closer_from_[run], from);
  return std::string_view::npos;
}

namespace {

// s.find(needle, from), or npos at once where `*no_match_from` says there is
// none; a failed search records where it started.
size_t FindRemembering(std::string_view s, std::string_view needle, size_t from,
                       const char** no_match_from) {
  if (*no_match_from != nullptr && s.data() + from >= *no_match_from) {
    return std::string_view::npos;
  }
  const size_t at = s.find(needle, from);
  if (at == std::string_view::npos) *no_match_from = s.data() + from;
  return at;
}

}  // namespace

bool ScanHtmlTag(std::string_view s, HtmlTag* tag, TagScanMemo* memo,
                 bool allow_unterminated_comment) {
  if (s.size() < 2 || s[0] != '<') return false;
  tag->name.clear();
  tag->attributes = {};
  tag->self_closing = false;
  if (s.substr(0, 4) == "<!--") {
    const size_t close = FindRemembering(s, "-->", 4, &memo->no_comment_end_from);
    tag->kind = HtmlTag::Kind::kComment;
    if (close == std::string_view::npos) {
      if (!allow_unterminated_comment) return false;
      tag->length = s.size();
    } else {
      tag->length = close + 3;
    }
    return true;
  }
  if (s[1] == '!' || s[1] == '?') {
    size_t close;
    size_t close_length = 1;
    if (s.substr(0, 9) == "<![CDATA[") {
      close = FindRemembering(s, "]]>", 9, &memo->no_cdata_end_from);
      close_length = 3;
    } else {
      if (s.size() < 3 || !(IsAsciiAlpha(s[2]) || s[1] == '?')) return false;
      close = FindRemembering(s, ">", 2, &memo->no_gt_from);
    }
    if (close == std::string_view::npos) return false;
    tag->kind = HtmlTag::Kind::kDeclaration;
    tag->length = close + close_length;
    return true;
  }
  const bool is_end = s[1] == '/';
  size_t i = is_end ? 2 : 1;
  if (i >= s.size() || !IsAsciiAlpha(s[i])) return false;
  const size_t name_begin = i;
  while (i < s.size() && IsTagNameChar(s[i])) ++i;
  if (i >= s.size()) return false;
  if (!IsAsciiSpace(s[i]) && s[i] != '/' && s[i] != '>') return false;
  const size_t name_end = i;
  const size_t close = FindTagEnd(s, i);
  if (close == std::string_view::npos) return false;
  tag->kind = is_end ? HtmlTag::Kind::kEnd : HtmlTag::Kind::kStart;
  tag->name.assign(s.data() + name_begin, name_end - name_begin);
  for (char& c : tag->name) c = AsciiLower(c);
  std::string_view attributes = s.substr(name_end, close - name_end);
  if (!attributes.empty() && attributes.back() == '/') {
    tag->self_closing = true;
    attributes.remove_suffix(1);
  }
  tag->attributes = attributes;
  tag->length = close + 1;
  return true;
}

bool GetHtmlAttribute(std::string_view attributes, std::string_view lower_name,
                      std::string* value) {
  bool found = false;
  ForEachAttribute(attributes, [&](std::string_view name, std::string_view raw) {
    if (found || !EqualsIgnoreCase(name, lower_name)) return;
    found = true;
    value->clear();
    AppendEntitiesDecoded(raw, value);
  });
  return found;
}

size_t DecodeEntity(std::string_view s, std::string* out) {
  if (s.size() < 3 || s[0] != '&') return 0;
  if (s[1] == '#') {
    size_t i = 2;
    const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    const size_t digits_begin = i;
    uint32_t value = 0;
    while (i < s.size() && i - digits_begin < 8) {
      const char c = s[i];
      int digit;
      if (IsAsciiDigit(c)) {
        digit = c - '0';
      } else if (hex && AsciiLower(c) >= 'a' && AsciiLower(c) <= 'f') {
        digit = AsciiLower(c) - 'a' + 10;
      } else {
        break;
      }
      value = value * (hex ? 16 : 10) + static_cast<uint32_t>(digit);
      ++i;
    }
    if (i == digits_begin || i >= s.size() || s[i] != ';') return 0;
    AppendUtf8(value == 0 ? 0xFFFD : value, out);
    return i + 1;
  }
  size_t i = 1;
  while (i < s.size() && i <= 32 && IsAsciiAlnum(s[i])) ++i;
  if (i == 1 || i >= s.size() || s[i] != ';') return 0;
  const std::string_view name = s.substr(1, i - 1);
  const auto* it =
      std::lower_bound(kNamedEntities.begin(), kNamedEntities.end(), name,
                       [](const NamedEntity& e, std::string_view key) { return e.name < key; });
  if (it == kNamedEntities.end() || it->name != name) return 0;
  AppendUtf8(it->code_point, out);
  return i + 1;
}

void AppendEntitiesDecoded(std::string_view s, std::string* out) {
  size_t i = 0;
  while (i < s.size()) {
    const size_t amp = s.find('&', i);
    if (amp == std::string_view::npos) {
      out->append(s.substr(i));
      return;
    }
    out->append(s.substr(i, amp - i));
    const size_t used = DecodeEntity(s.substr(amp), out);
    if (used == 0) {
      out->push_back('&');
      i = amp + 1;
    } else {
      i = amp + used;
    }
  }
}

bool RenderTextWithHtml(std::string_view s, std::string* out) {
  // Cheap rejection first: most lines hold no known tag.
  HtmlTag tag;
  TagScanMemo memo;
  TagEffect effect;
  bool found = false;
  for (size_t at = s.find('<'); at != std::string_view::npos; at = s.find('<', at + 1)) {
    if (ScanHtmlTag(s.substr(at), &tag, &memo) && tag.kind != HtmlTag::Kind::kComment &&
        tag.kind != HtmlTag::Kind::kDeclaration && KnownTextTag(tag.name, &effect)) {
      found = true;
      break;
    }
  }
  if (!found) return false;

  std::string rendered;
  rendered.reserve(s.size());
  CollapsingWriter writer(&rendered);
  std::string entity;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '<' && ScanHtmlTag(s.substr(i), &tag, &memo)) {
      if (tag.kind == HtmlTag::Kind::kComment) {
        i += tag.length;
        continue;
      }
      if ((tag.kind == HtmlTag::Kind::kStart || tag.kind == HtmlTag::Kind::kEnd) &&
          KnownTextTag(tag.name, &effect)) {
        if (effect == TagEffect::kLineBreak) {
          writer.LineBreak();
        } else if (effect == TagEffect::kCellSeparator && tag.kind == HtmlTag::Kind::kStart) {
          writer.CellSeparator();
        }
        i += tag.length;
        continue;
      }
    }
    if (c == '&') {
      entity.clear();
      if (const size_t used = DecodeEntity(s.substr(i), &entity); used > 0) {
        writer.Decoded(entity);
        i += used;
        continue;
      }
    }
    if (IsAsciiSpace(c)) {
      writer.Space();
      ++i;
      continue;
    }
    // A run of ordinary text in one append.
    size_t j = i + 1;
    while (j < s.size() && s[j] != '<' && s[j] != '&' && !IsAsciiSpace(s[j])) ++j;
    writer.Decoded(s.substr(i, j - i));
    i = j;
  }
  TidyLines(&rendered);
  out->append(rendered);
  return true;
}

std::string RenderMarkdownInline(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  MarkdownInline renderer(&out);
  renderer.Render(s);
  renderer.Finish();
  if (renderer.saw_break() || out.find('\n') != std::string::npos) {
    TidyLines(&out);
  } else {
    const std::string_view trimmed = TrimSpace(out);
    if (trimmed.size() != out.size()) out = std::string(trimmed);
  }
  return out;
}

}  // namespace fiscdex::ingest::internal
