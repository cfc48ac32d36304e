// Inline markup shared by the readers: HTML tag scanning, entity decoding,
// and the rendering of inline HTML and Markdown into the text a reader sees.
// Internal to ingest/.
#ifndef FISCDEX_INGEST_INLINE_MARKUP_H_
#define FISCDEX_INGEST_INLINE_MARKUP_H_

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace fiscdex::ingest::internal {

struct HtmlTag {
  enum class Kind {
    kStart,        // <name attr=...> or <name/>
    kEnd,          // </name>
    kComment,      // <!-- ... -->
    kDeclaration,  // <!DOCTYPE ...>, <?xml ...?>, <![CDATA[...]]>
  };
  Kind kind = Kind::kStart;
  std::string name;             // lower-case; empty for comments and declarations
  std::string_view attributes;  // raw text between the name and the closing '>'
  bool self_closing = false;    // <br/>
  size_t length = 0;            // bytes from '<' through '>'
};

// Finds the run of backticks that closes a code span in `s`. Failed
// searches are remembered per run length, so a line of many unmatched
// backticks is scanned once, not once per backtick.
class BacktickMatcher {
 public:
  explicit BacktickMatcher(std::string_view s) : s_(s) {
    no_closer_from_.fill(std::string_view::npos);
  }

  // Offset of a run of exactly `run` backticks at or after `from`, or npos.
  size_t FindClosing(size_t from, size_t run);

 private:
  std::string_view s_;
  std::array<size_t, 16> no_closer_from_;  // by run length: no closer at or after
};

// What earlier tag scans over one text learned: from where on a terminator
// is known to be absent. It keeps a text full of unterminated "<!--" or
// "<!x" linear. Every `s` scanned with one memo must end where the text ends
// (suffixes of one text).
struct TagScanMemo {
  const char* no_comment_end_from = nullptr;  // no "-->" at or after
  const char* no_cdata_end_from = nullptr;    // no "]]>" at or after
  const char* no_gt_from = nullptr;           // no '>' at or after
};

// Scans the tag that starts `s` (s[0] == '<'). Quoted attribute values may
// hold '>' and '<'. Returns false when `s` does not start with a complete tag
// ("a < b", "<3", an unterminated quote): the '<' is then text.
// `allow_unterminated_comment` makes "<!--" without "-->" run to the end (the
// way browsers read it); inline rendering keeps such text instead.
bool ScanHtmlTag(std::string_view s, HtmlTag* tag, TagScanMemo* memo,
                 bool allow_unterminated_comment = false);

// The value of attribute `lower_name` in `attributes` (an HtmlTag's), with
// entities decoded. Returns false when the attribute is absent.
bool GetHtmlAttribute(std::string_view attributes, std::string_view lower_name, std::string* value);

// Decodes the character reference at the start of `s` (s[0] == '&'):
// named (&amp; &lt; &gt; &quot; &apos; &#39; &nbsp; and common typographic
// ones), decimal &#N; and hex &#xH;. Appends its UTF-8 to `out` and returns
// the bytes consumed, or 0 (appending nothing) when `s` does not start with
// a reference. A reference needs its ';'. Invalid code points give U+FFFD.
size_t DecodeEntity(std::string_view s, std::string* out);

// Appends `s` to `out` with every character reference decoded.
void AppendEntitiesDecoded(std::string_view s, std::string* out);

// Renders a line or cell of plain text that carries HTML from a word
// processor or wiki export (the tags p b i u strong em span div ul ol li br
// font a sup sub and the table tags; other '<' text stays). <br>, <p>, <li>,
// <div>, list and row boundaries become '\n', cells of an inline table are
// separated by '\t', other tags vanish, white space collapses as in HTML,
// and entities are decoded. Lines are trimmed and empty ones dropped.
// Returns false, leaving `out` untouched, when `s` holds none of those tags:
// the text is then literal (its entities included).
bool RenderTextWithHtml(std::string_view s, std::string* out);

// Renders Markdown inline syntax (CommonMark/GFM as GitHub shows it):
// backslash escapes of ASCII punctuation, code spans (content verbatim),
// links, reference links and images (their text), autolinks (the URL),
// emphasis markers (*, **, _, __ with the flanking rules, so snake_case
// stays), raw HTML tags (<br> and block tags become '\n', others vanish),
// comments, and entities. Lines are trimmed and empty ones dropped.
std::string RenderMarkdownInline(std::string_view s);

}  // namespace fiscdex::ingest::internal

#endif  // FISCDEX_INGEST_INLINE_MARKUP_H_
