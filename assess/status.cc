// The status rules. kStatusRules is the one table doc/status.md describes;
// the rest is how it is applied: every pattern runs over the NFKC form of
// the answer (full-width letters and digits folded, so `N/A` and `Ｎ／Ａ`
// are one), the first rule of the highest-priority status that matches
// decides, and its match is the evidence.
#include "assess/status.h"

#include <re2/re2.h>

#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <utility>

#include "base/utf8.h"
#include "normalize/normalize.h"

namespace fiscdex::assess {
namespace {

// Who may be asked to act: the financial institution (the document's
// reader) and the cloud or data-centre provider under the vendor.
#define FISCDEX_CUSTOMER_PARTY                                                         \
  "(?:お客様|お客さま|顧客|ご利用者|利用者|使用者|ユーザー企業|ユーザ企業|ユーザー|ユーザ|ご利用企業|" \
  "利用企業|ご契約者|契約者|加入者|金融機関|貴社|貴行|利用団体|(?:各)?テナント(?:の)?管理者|委託元)" \
  "(?:様|さま)?"
#define FISCDEX_PROVIDER_PARTY                                                            \
  "(?:AWS|Amazon Web Services|アマゾン ?ウェブ ?サービス|Microsoft Azure|Azure|"          \
  "Google Cloud|GCP|Oracle Cloud|OCI|IBM Cloud|さくらインターネット|"                    \
  "クラウド(?:サービス)?(?:事業者|提供者|提供事業者|プロバイダー?|ベンダー)|"            \
  "IaaS(?:事業者|提供者|ベンダー|提供事業者)?|PaaS(?:事業者|提供者)|基盤(?:提供)?事業者|" \
  "データセンター(?:事業者|運営事業者|運営会社|提供事業者)|DC事業者|ホスティング(?:先)?事業者|"          \
  "入居(?:する|している|先の?)(?:データセンター|DC)|共同利用(?:する|している)?データセンター|"   \
  "プラットフォーム事業者|クラウドプロバイダー?|(?i:cloud (?:hosting |service )?provider)|"  \
  "(?i:hosting provider)|(?i:infrastructure provider)|"          \
  "委託先(?:の)?データセンター|ビル管理会社|ビルの管理会社|Microsoft|マイクロソフト|Google|"    \
  "Oracle Cloud Infrastructure|IIJ|NTT(?:コミュニケーションズ|データ|東日本|西日本)?|"           \
  "IDC事業者|ハウジング事業者|さくらのクラウド)(?:\\s*[(（][^)）]{0,20}[)）])?\\s*"
#define FISCDEX_CRITERION_ID \
  "(?:統|実|設|監|運|技)(?:制|務|備|査|用|術)?(?:基準)?\\s*\\d+(?:\\s*-\\s*\\d+)?"
// What an answer points to besides a criterion: a question number of the
// sheet (No.35, 項番12) or an attachment (別紙3).
#define FISCDEX_POINTER \
  "(?:" FISCDEX_CRITERION_ID "|(?:No|NO|no)\\.?\\s*\\d+|(?:項番|問|Q)\\s*\\d+|別紙\\s*\\d*)"

// In priority order of their statuses (AnswerStatus); within one status,
// in the order they are tried (only the evidence depends on it).
const std::vector<StatusRuleInfo> kStatusRules = {
    // retired: the standard itself dropped the number.
    {AnswerStatus::kRetired, "retired_marker", "欠番", "", 60,
     "the standard retired the number (欠番)"},
    {AnswerStatus::kRetired, "retired_deleted",
     "^[\\s(（\\[【]*(?:削除|廃止)(?:済み?|項目)?[\\s)）\\]】。]*$", "", 0,
     "a cell that only says the item was deleted"},
    {AnswerStatus::kRetired, "retired_english",
     "^\\s*(?i:(?:deleted|removed|retired|withdrawn)\\b[^.\\n]{0,60}(?:standard|edition|fisc))", "", 0,
     "says in English the item was removed from the standard"},
    {AnswerStatus::kRetired, "retired_sentence",
     "(?:本|この|当該)(?:項目|基準|基準項目)は[^。]{0,10}(?:削除|廃止|欠番)", "", 0,
     "says the item was deleted from the standard"},

    // blank: nothing was answered.
    {AnswerStatus::kBlank, "blank_empty", "^[\\s\\-‐‑‒–—―ー─━_・.。/]*$", "", 0,
     "empty, or only a dash"},
    {AnswerStatus::kBlank, "blank_placeholder",
     "^[\\s(（]*(?:空欄|未記入|未回答|記載なし|記入なし|回答なし|無回答|(?i:tbd))[\\s)）。]*$", "", 0,
     "a placeholder that says nothing was written"},

    // not_applicable: the criterion does not apply, said in the first
    // sentence (a later "…は対象外" usually narrows an answer's scope), and
    // not qualified by who handles it instead (対象外（クラウド事業者の管理範囲）
    // is the provider's, 対象外（アプリケーションで対策） the user's).
    {AnswerStatus::kNotApplicable, "na_marker",
     "^[^。\\n]*?(?:対象外|該当しない|該当しません|該当いたしません|該当なし|該当無し|非該当|"
     "適用外|適用されない|適用されません|適用なし|(?i:\\bn/a\\b)|(?i:not applicable)|"
     "関係しない|関係ありません|範囲外)",
     "^[^。\\n]*?対象外\\s*[(（][^)）]{0,40}(?:(?:" FISCDEX_PROVIDER_PARTY "|" FISCDEX_CUSTOMER_PARTY
     ")(?:側)?(?:にて|で|が|の(?:責任|管理|範囲|対応|運用))|で対策|での対策|にて対策|で対応|での対応|にて対応)|"
     // 対象外 as a modifier (対象外の通信は遮断), or a later clause narrowing
     // what is done (…しているが、検証環境は対象外).
     "対象外の[^。]{0,20}(?:を|は)[^。]{0,20}(?:遮断|拒否|制限|ブロック|禁止|削除)|が、[^。]*対象外|"
     "(?:" FISCDEX_PROVIDER_PARTY "|" FISCDEX_CUSTOMER_PARTY ")(?:側)?(?:が|にて|で)[^。]{0,20}"
     "(?:管理|実施|対応|対策|講じ)|(?:ただし|但し)[^。]*対象外|対応済|実施済",
     0, "対象外, 該当しない, N/A ... in the answer's first sentence, unless another party is "
     "said to act instead or only a part is out of scope"},
    {AnswerStatus::kNotApplicable, "na_not_in_scope",
     "(?:該当事項(?:は)?(?:なし|無し|ありません|ございません)|(?:適用)?対象では(?:ありません|ない|ございません)|"
     "^[\\s(（]*(?:当該|該当)(?:する)?(?:業務|機能|設備|取引|作業|システム)(?:は)?(?:なし|無し|ありません|ございません))",
     "", 0, "there is nothing to answer for this service (該当事項なし, 適用対象ではありません)"},
    {AnswerStatus::kNotApplicable, "na_no_such",
     "該当する[^。]{0,20}(?:は|が)(?:ありません|ない|存在しません|存在しない|ございません)", "", 0,
     "there is nothing the criterion would apply to"},
    {AnswerStatus::kNotApplicable, "na_not_held",
     "(?:(?:を|は)(?:利用|使用|保有|所有|設置|採用|運営)(?:して)?(?:いません|おりません|いない|おらず)|"
     "(?:行って|取り扱って|取扱って)(?:いない|おらず)(?:ため|ので)|取り扱いません|取り扱わない|"
     "機能を(?:持ちません|持たない|持っていません|持っておりません|有しません|有しない|有していません)|"
     "(?:利用|使用|保有|所有|設置|運営)(?:して)?(?:いない|おらず)(?:ため|ので))",
     "(?:ますが、|ませんが、|ているが、|ていないが、|" FISCDEX_PROVIDER_PARTY ")", 100,
     "a short answer saying the service has no such thing (…は利用していません)"},
    {AnswerStatus::kNotApplicable, "na_unneeded",
     "(?:対応|対策|実施)(?:は|の必要は|する必要は)?(?:不要|必要ありません|必要ない|必要がない)", "",
     120, "a short answer saying no measure is needed"},

    // reference: the whole answer is a pointer to another criterion's.
    {AnswerStatus::kReference, "reference_same_as",
     "^[^。\\n]{0,15}?" FISCDEX_POINTER
     "[^。\\n]{0,25}?(?:と同じ|と同様|に同じ|に準じ|に準ずる|を参照|参照|をご参照|のとおり|の通り|"
     "に記載|をご覧)[^。\\n]{0,20}(?:。\\s*)?$",
     // …と同様、お客様にてご対応ください: more follows the pointer.
     "(?:と同じ|と同様|に同じ|に準じ)(?:です|であり)?[、,]", 0,
     "a one-sentence answer pointing to another criterion, question or attachment (対応策は実4と同じ)"},
    {AnswerStatus::kReference, "reference_english",
     "^\\s*(?i:(?:see|refer to|same as)(?: the)?(?: answers?| responses?)?(?: (?:to|for|of))?)\\s*"
     FISCDEX_POINTER "[^.\\n]{0,20}\\.?\\s*$",
     "", 0, "the same pointer in English (See answer to 実14.)"},
    {AnswerStatus::kReference, "reference_above",
     "^[\\s(（]*(?:同上|同左|〃|上記(?:と同じ|と同様|参照|に同じ|のとおり|の通り)|"
     "前項(?:と同じ|と同様|参照|に同じ|のとおり|の通り)|前述のとおり|前述の通り)",
     "", 40, "a short answer pointing to the answer above (同上, 前項と同様)"},

    // partial: done with a stated exception, limitation, plan or study,
    // or not done (without handing it to someone else).
    {AnswerStatus::kPartial, "partial_proviso",
     "(?:ただし|但し)[^。]*?(?:ない|ません|できず|未|予定|検討|限|除|対象外|別途|保存され|異なり|場合があ)",
     "", 0,
     "a proviso that limits the answer (ただし…ていません)"},
    {AnswerStatus::kPartial, "partial_some",
     "一部(?:のみ|対応|実施|未|に(?:留|とど)ま|の(?:機能|システム|サーバー?|環境|拠点|データ|端末|業務|サービス|"
     "部署|領域)(?:のみ|で|に|について|では|を対象))",
     "", 0, "only some (一部のシステムで, 一部対応)"},
    {AnswerStatus::kPartial, "partial_except", "(?:を除き|を除いて|を除く|は除外|を除外)", "", 0,
     "an exception (〜を除き, 〜は除外)"},
    {AnswerStatus::kPartial, "partial_plan",
     "(?:(?:導入|対応|実施|取得|整備|策定|移行|開始|構築|適用|改修|リリース|公開|提供|実装)(?:を|する|の)?予定|"
     "準備を進め|に向けて(?:準備|検討|整備|対応)|(?:取得|導入|移行|対応)に向けて|"
     "(?:導入|整備|移行|展開|構築|拡大|適用|対応)を進めて|順次(?:更新|対応|導入|拡大|展開|整備|移行)|"
     "予定(?:です|でございます|しております|しています|であり|となっております|。)|"
     "計画中|計画しております|計画しています|準備中|整備中|構築中|対応中|移行中|策定中|導入中)",
     "(?:今後も|引き続き|継続して|継続的に)[^。]{0,20}予定", 0, "a plan, not yet in place (予定, 準備中)"},
    {AnswerStatus::kPartial, "partial_study",
     "(?:検討中|検討しています|検討しております|検討を進め|検討予定|検討いたします|検討段階|"
     "今後の課題|課題と(?:認識|考え)|"
     "今後[^。]{0,20}(?:予定|検討|対応|実施|整備|導入|強化|拡充))",
     "(?:今後も|引き続き|継続して|継続的に)", 0, "under study (検討中, 今後…)"},
    {AnswerStatus::kPartial, "partial_not_yet",
     "(?:未対応|未実施|未導入|未整備|未策定|未取得|未定|非対応)", "", 0, "not yet (未対応)"},
    {AnswerStatus::kPartial, "partial_not_done",
     "(?:実施|対応|導入|整備|策定|取得|対策|用意|準備|確保)(?:を|は)?(?:して|は|致して|いたして)?"
     "(?:いません|おりません|いない|おらず|できていません|できておりません|できていない)",
     "(?:" FISCDEX_CUSTOMER_PARTY "|" FISCDEX_PROVIDER_PARTY ")(?:側)?(?:にて|で|が)", 0,
     "says it is not done, and names no one else who does it (対応しておりません)"},
    {AnswerStatus::kPartial, "partial_short_of",
     "(?:満たない場合があ|満たして(?:いない|おりません|いません)|及ばない|不十分|追いついて(?:いない|おらず|いません)|"
     "網羅(?:でき|し)て(?:いない|おらず|いません|おりません)|にとどま|に留ま|(?:実施|導入|受講|適用)率)",
     "", 0, "falls short of what is asked (…に満たない, 網羅できていません, 受講率…にとどまる)"},
    {AnswerStatus::kPartial, "partial_english",
     "(?i:\\bpartial(?:ly)?\\b|\\broadmap\\b|\\bnot yet\\b|\\bnot currently\\b|\\bdo(?:es)? not (?:currently )?"
     "(?:support|provide|offer|perform|conduct)|\\bout of scope\\b|\\bplanned\\b|\\bin progress\\b|"
     "^\\s*no\\b[.,])",
     "", 0, "the same limits in English (partially, on the roadmap, not currently, out of scope)"},
    {AnswerStatus::kPartial, "partial_for_now",
     "(?:現時点|現状|現在)(?:で|において)?は[^。]{0,40}(?:ない|ません|ず)", "", 0,
     "not for now (現時点では…ません)"},
    {AnswerStatus::kPartial, "partial_limited",
     "(?:限定的|部分的|に限り|のみ(?:。|$|、|です|となります|対応|実施|提供|で(?:す|実施|対応)))", "", 0,
     "limited in scope (限定的, 部分的, …に限り, …のみ)"},
    {AnswerStatus::kPartial, "partial_scope", "[^。\\n]{2,}(?:は|については)(?:対象外|適用外|除外)", "", 0,
     "a part left out of scope after the first sentence (…は対象外)"},
    {AnswerStatus::kPartial, "partial_but_not",
     "(?:(?:ます|います|おります|済みです|ですが)が?、[^。]{0,50}?(?:ません|ない|なし|単一構成)|ではありませんが|"
     "(?:おりません|ていません|いません|ていない|行っていない)が、|"
     "原則として[^。]{0,30}が、)",
     "", 0, "a measure followed by what it leaves out (…していますが、…は行っておりません)"},
    {AnswerStatus::kPartial, "partial_option",
     "(?:有償オプション|オプション(?:にて|で|として)(?:対応|提供)|^[(（]?オプション[)）]?$)", "", 0,
     "only as an (extra-cost) option"},
    {AnswerStatus::kPartial, "partial_marker",
     "^\\s*(?:△|▲|×|✕|✖|いいえ|(?i:no)|未|一部対応|一部実施|一部)\\s*。?$", "", 0,
     "a check-sheet mark for \"partly\" or \"no\""},

    // customer: the financial institution must act.
    {AnswerStatus::kCustomer, "customer_acts",
     FISCDEX_CUSTOMER_PARTY
     "(?:側)?(?:にて|において|責任|の責任|側の(?:対応|対策|作業|実施)|の判断|のご判断|の責任範囲|の運用|ご自身で|ご自身にて|自身で|"
     "に委ね|へ委ね|にてご|でご|で(?:の|実施|設定|管理|対応|判断|行|ご|定義|決定|検討|構築|運用|準備|用意|確認)|"
     "(?:の(?:管理者|担当者|責任者|システム管理者|ご担当者|監査人))?が、?[^。、は]{0,20}?"
     "(?:行います|行う|行って|します|しています|する(?:。|$)|する必要|いたします|必要があります|責任を負|"
     "(?:実施|設定|管理|対応|評価|判断)(?:されます|されて|して(?:いただ|頂)))|"
     "の(?:設定|管理|判断|運用)に委ね|の管理下で|による[^。]{0,20}が必要)",
     "必要が(?:ない|ありません|ございません)|必要はありません|必要はない|不要", 0, "the customer or the institution acts (お客様にて, 利用者の責任, お客様の管理者が行います)"},
    {AnswerStatus::kCustomer, "customer_share",
     "(?:^|\\n)\\s*(?:[【\\[](?:お客様|お客さま|利用者|ご利用者様|ユーザー)[】\\]]|"
     "(?:お客様|お客さま|利用者|ご利用者様|ユーザー)(?:側)?\\s*[:：])\\s*[^\\s:：]", "", 0,
     "a share of the duty, one line per party, with a line for the customer (当社：… / お客様：…)"},
    {AnswerStatus::kCustomer, "customer_elsewhere",
     "対象外\\s*[(（][^)）]{0,40}(?:で対策|での対策|にて対策|で対応|での対応|にて対応)",
     "対象外\\s*[(（][^)）]{0,40}" FISCDEX_PROVIDER_PARTY, 0,
     "対象外 here because the measure is taken in the user's application or process"},
    // Not 「ご参照ください」「ご覧ください」: pointing the reader to another
    // answer or document asks nothing of the institution.
    {AnswerStatus::kCustomer, "customer_request",
     "(?:(?:^|[^照覧])(?:ください|下さい)|願います|お願い(?:します|いたします|しております|しています|致します)|"
     "いただく必要|頂く必要|いただきますよう|いただけますよう|頂きますよう|(?:て|で)いただきます|"
     "いただく(?:形|ことを想定|前提)|頂く(?:形|ことを想定|前提))",
     "", 0, "asks the reader to act (…してください)"},
    {AnswerStatus::kCustomer, "customer_recommend",
     "(?:推奨します|推奨いたします|推奨しております|推奨しています|お勧めします|おすすめします|"
     "お勧めいたします|を推奨$|を推奨。)",
     "", 0, "recommends the reader to act (…を推奨します)"},
    {AnswerStatus::kCustomer, "customer_english",
     "(?i:\\bcustomers?(?:'s?)? (?:(?:is|are) responsible|must|should|need to|responsibility)|"
     "\\bcustomer responsibility\\b|\\bresponsibility of the customer\\b)",
     "", 0, "the customer must act, in English (the customer is responsible for …)"},
    {AnswerStatus::kCustomer, "customer_party",
     "^\\s*(?:" FISCDEX_CUSTOMER_PARTY
     "(?:側)?(?:責任|対応|実施)?|共同|双方|分担|共有|両者|お客様と当社|当社とお客様)\\s*。?$",
     "", 0, "a cell naming the customer, or a shared duty, as who acts"},

    // provider: the underlying cloud or data centre does it.
    {AnswerStatus::kProvider, "provider_acts",
     FISCDEX_PROVIDER_PARTY
     "(?:[^。、]{0,10}?側(?:で|にて)(?:対策|対応|実施|管理)|(?:が|にて|により|によって|側で|側にて|において)[^。]{0,40}?(?:実施|管理|対応|行|保守|運用|担|"
     "担保|確保|設置|提供され)|(?:の)?(?:責任|管理)(?:範囲|下)?(?:です|となり|であり|にて|で|に含|"
     "に属|に委ね|にあ|に置|。|\\)|）)|(?:の)?責任範囲\\s*(?:[(（]|$)|に(?:依存|依拠|委ね|委託)|"
     "側の[^。、]{0,10}?(?:で|にて)(?:対策|対応|実施|管理)|の[^。\\n]{0,12}?により行われ|"
     "の[^。、]{0,12}?(?:データセンター|施設|設備|リージョン|建物)|"
     "の(?:対策|管理策|運用|設備|認証|基準|規程|仕組み|管理|責任)に(?:依拠|依存|委ね|準じ|準拠|よ(?:る|り)(?:ます)?(?:。|$))|"
     "[^。\\n]{0,30}?に(?:依拠|依存)|"
     "(?:の)?(?:公表資料|報告書|第三者認証)(?:の|に)|管理下|(?:にて|で)講じ|により行われ|(?:側)?で担保|"
     "(?:が|の)実施する|同社(?:が|にて|により)|"
     "の[^。]{0,10}(?:基準|規程|管理基準|規定)に(?:準ずる|準拠|従|基づ)|(?:による|によります)(?:。|$))",
     "", 0, "the cloud or data-centre provider does it, or the service relies on its facilities"},
    {AnswerStatus::kProvider, "provider_same_company",
     FISCDEX_PROVIDER_PARTY "[^\\n]{0,60}?同社(?:が|にて|により|によって)[^。]{0,20}(?:実施|管理|対応|監視|運用|講じ)",
     "", 0, "names the provider, then says that company does it (…を利用しており、…は同社が実施)"},
    {AnswerStatus::kProvider, "provider_english",
     "(?i:\\binherited from\\b|\\bhandled by (?:our|the) (?:cloud|hosting|infrastructure)|"
     "\\b(?:aws|azure|google cloud|gcp)(?:'s)? (?:responsibility|scope)|\\brely on (?:their|the provider))",
     "", 0, "the provider does it, in English (inherited from AWS)"},
    {AnswerStatus::kProvider, "provider_layer",
     "(?:^|\\n)\\s*[【\\[]?(?:物理(?:層|面|的)?|設備|ファシリティ|インフラ(?:層)?|基盤(?:層)?)[】\\]]?\\s*[:：]\\s*"
     FISCDEX_PROVIDER_PARTY,
     "", 0, "a share by layer that gives the physical or infrastructure layer to the provider (物理層：AWS)"},
    {AnswerStatus::kProvider, "provider_base_side",
     "(?:基盤|インフラ|IaaS|PaaS)[^。]{0,8}側(?:で|にて)(?:担保|対策|対応|実施|管理)", "", 0,
     "the infrastructure side takes care of it (基盤（IaaS）側で担保)"},
    {AnswerStatus::kProvider, "provider_party",
     "^\\s*" FISCDEX_PROVIDER_PARTY "(?:側)?(?:責任|対応|実施)?\\s*。?$", "", 0,
     "a cell naming the provider as who acts"},

    // implemented: marks that say "done" (any other answer is implemented
    // by default; these only give evidence).
    {AnswerStatus::kImplemented, "implemented_marker",
     "^\\s*(?:○|◯|〇|●|◎|✓|✔|済|対応済み?|実施済み?|はい|(?i:yes)|(?i:y)|適合|準拠|可|"
     "対応可能?|実施|対応|有|あり|当社|弊社)\\s*。?$",
     "", 0, "a check-sheet mark for \"done\", or the vendor named as who acts"},
};

// What a column's header says the column is about.
enum class HeaderRole { kAnswer, kCustomer, kProvider, kWhoActs };

const RE2& WhoActsHeader() {
  static const RE2* re = new RE2(
      "(?:対応区分|責任区分|責任分界|責任分担|実施主体|対応主体|実施者|対応者|担当|分担|区分)");
  return *re;
}
const RE2& CustomerHeader() {
  static const RE2* re = new RE2(FISCDEX_CUSTOMER_PARTY);
  return *re;
}
const RE2& ProviderHeader() {
  static const RE2* re = new RE2(FISCDEX_PROVIDER_PARTY);
  return *re;
}

HeaderRole RoleOf(std::string_view header) {
  const std::string text = normalize::NormalizeText(header);
  if (RE2::PartialMatch(text, WhoActsHeader())) return HeaderRole::kWhoActs;
  if (RE2::PartialMatch(text, CustomerHeader())) return HeaderRole::kCustomer;
  if (RE2::PartialMatch(text, ProviderHeader())) return HeaderRole::kProvider;
  return HeaderRole::kAnswer;
}

struct CompiledRule {
  const StatusRuleInfo* info;
  std::unique_ptr<RE2> re;
  std::unique_ptr<RE2> unless;  // null: none
};

const std::vector<CompiledRule>& CompiledRules() {
  static const std::vector<CompiledRule>* rules = [] {
    auto* out = new std::vector<CompiledRule>;
    RE2::Options options;
    options.set_log_errors(false);
    for (const StatusRuleInfo& info : kStatusRules) {
      // The table is data, not input: a pattern that does not compile is a
      // bug the tests catch (StatusRulesTest.EveryPatternCompiles).
      out->push_back({&info, std::make_unique<RE2>(std::string(info.pattern), options),
                      info.unless.empty()
                          ? nullptr
                          : std::make_unique<RE2>(std::string(info.unless), options)});
    }
    return out;
  }();
  return *rules;
}

// Characters, not bytes: the rules' lengths are what a reader sees.
int CharacterCount(std::string_view text) {
  int count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

std::string_view Trim(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

const std::array<std::string_view, kStatusCount> kNames = {
    "retired", "blank", "not_applicable", "reference", "partial", "customer", "provider",
    "implemented"};

const std::array<std::string_view, kStatusCount> kMeanings = {
    "the standard retired the criterion number (欠番)",
    "no answer: empty, or only a dash or placeholder",
    "the criterion does not apply to the service (対象外, 該当しない, N/A)",
    "the answer only points to another criterion's answer (実4と同じ)",
    "done with a stated exception, limitation, plan or study, or not done",
    "the financial institution (the customer) must act",
    "left to the underlying cloud or data-centre provider",
    "the vendor does it; nothing is said to be missing",
};

int Rank(AnswerStatus status) { return static_cast<int>(status); }

// Whether the provider a phrase names is the document's own vendor.
bool NamesSelf(std::string_view phrase, const DocumentContext& context) {
  if (context.self.empty()) return false;
  const std::string text(phrase);
  re2::StringPiece party;
  if (!ProviderHeader().Match(text, 0, text.size(), RE2::UNANCHORED, &party, 1)) return false;
  const std::string key =
      normalize::FoldForSearch(Trim(std::string_view(party.data(), party.size())));
  return !key.empty() && context.self.find(key) != std::string::npos;
}

// The facility criteria (設, 設備基準) are about buildings, power and
// rooms: a vendor that names its cloud or data-centre provider in such an
// answer is describing the provider's facility, even when it only says how
// it checks it (…をクラウド事業者のSOC2報告書で確認しています).
void ProviderForFacility(const extract::CriterionRecord& record, std::string_view text,
                         const DocumentContext& context, StatusJudgement* judgement) {
  if (judgement->status != AnswerStatus::kImplemented || record.id.rfind("設", 0) != 0) return;
  const std::string normalized = normalize::NormalizeText(text);
  re2::StringPiece match;
  if (!ProviderHeader().Match(normalized, 0, normalized.size(), RE2::UNANCHORED, &match, 1)) return;
  if (NamesSelf(std::string_view(match.data(), match.size()), context)) return;
  judgement->status = AnswerStatus::kProvider;
  judgement->rule = "provider_facility";
  judgement->evidence = std::string(match.data(), match.size());
}

// A row whose own criterion text says the number is retired (実111（欠番）)
// and whose answer cell is empty or a dash is retired, not blank: the dash
// is there because there is nothing to answer.
void RetiredByTitle(const extract::CriterionRecord& record, StatusJudgement* judgement) {
  if (judgement->status != AnswerStatus::kBlank || !record.title) return;
  static const RE2* retired = new RE2("(?:欠番|[(（](?:削除|廃止)[)）])");
  const std::string title = normalize::NormalizeText(*record.title);
  re2::StringPiece match;
  if (!retired->Match(title, 0, title.size(), RE2::UNANCHORED, &match, 1)) return;
  judgement->status = AnswerStatus::kRetired;
  judgement->rule = "retired_title";
  judgement->evidence = std::string(match.data(), match.size());
}

}  // namespace

std::string_view StatusName(AnswerStatus status) { return kNames[Rank(status)]; }

std::string_view StatusMeaning(AnswerStatus status) { return kMeanings[Rank(status)]; }

std::optional<AnswerStatus> ParseStatus(std::string_view name) {
  for (int i = 0; i < kStatusCount; ++i) {
    if (kNames[i] == name) return static_cast<AnswerStatus>(i);
  }
  return std::nullopt;
}

const std::vector<AnswerStatus>& AllStatuses() {
  static const std::vector<AnswerStatus> all = [] {
    std::vector<AnswerStatus> out;
    for (int i = 0; i < kStatusCount; ++i) out.push_back(static_cast<AnswerStatus>(i));
    return out;
  }();
  return all;
}

const std::vector<StatusRuleInfo>& StatusRules() { return kStatusRules; }

DocumentContext ContextOf(const extract::DocumentMetadata& metadata) {
  DocumentContext context;
  context.self = normalize::FoldForSearch(metadata.title.value_or("") + "\n" +
                                          metadata.vendor.value_or(""));
  return context;
}

StatusJudgement JudgeAnswer(std::string_view answer, const DocumentContext& context) {
  const std::string text = normalize::NormalizeText(answer);
  const std::string_view trimmed = Trim(text);
  const int characters = CharacterCount(trimmed);
  for (const CompiledRule& rule : CompiledRules()) {
    if (rule.info->max_chars > 0 && characters > rule.info->max_chars) continue;
    re2::StringPiece match;
    if (!rule.re->Match(re2::StringPiece(trimmed.data(), trimmed.size()), 0, trimmed.size(),
                        RE2::UNANCHORED, &match, 1)) {
      continue;
    }
    if (rule.unless && RE2::PartialMatch(re2::StringPiece(trimmed.data(), trimmed.size()),
                                         *rule.unless)) {
      continue;
    }
    if (rule.info->status == AnswerStatus::kProvider &&
        NamesSelf(std::string_view(match.data(), match.size()), context)) {
      continue;
    }
    StatusJudgement judgement;
    judgement.status = rule.info->status;
    judgement.rule = std::string(rule.info->name);
    judgement.evidence = std::string(Trim(std::string_view(match.data(), match.size())));
    return judgement;
  }
  StatusJudgement judgement;
  judgement.status = AnswerStatus::kImplemented;
  judgement.rule = "default";
  return judgement;
}

namespace {

StatusJudgement JudgeColumnAs(const extract::AnswerColumn& column, HeaderRole role,
                              const DocumentContext& context) {
  StatusJudgement judgement = JudgeAnswer(column.text, context);
  if (judgement.status != AnswerStatus::kImplemented) return judgement;
  // A column headed for one party holds what that party does: a plain
  // description of measures there is that party's, not the vendor's.
  switch (role) {
    case HeaderRole::kCustomer:
      judgement.status = AnswerStatus::kCustomer;
      judgement.rule = "header_customer";
      judgement.evidence = column.header;
      break;
    case HeaderRole::kProvider:
      judgement.status = AnswerStatus::kProvider;
      judgement.rule = "header_provider";
      judgement.evidence = column.header;
      break;
    case HeaderRole::kAnswer:
    case HeaderRole::kWhoActs:
      break;
  }
  return judgement;
}

}  // namespace

StatusJudgement JudgeColumn(const extract::AnswerColumn& column, const DocumentContext& context) {
  return JudgeColumnAs(column, RoleOf(column.header), context);
}

RecordAssessment AssessRecord(const extract::CriterionRecord& record,
                              const DocumentContext& context) {
  RecordAssessment out;
  if (record.columns.empty()) {
    out.record = JudgeAnswer(record.answer, context);
    RetiredByTitle(record, &out.record);
    ProviderForFacility(record, record.answer, context, &out.record);
    return out;
  }
  out.columns.reserve(record.columns.size());
  std::vector<HeaderRole> roles;
  roles.reserve(record.columns.size());
  for (const extract::AnswerColumn& column : record.columns) {
    roles.push_back(RoleOf(column.header));
    out.columns.push_back(JudgeColumnAs(column, roles.back(), context));
  }

  // A column that names who acts decides, unless it names the vendor: then
  // the other columns say how well the vendor does it.
  for (size_t i = 0; i < record.columns.size(); ++i) {
    const StatusJudgement& column = out.columns[i];
    if (roles[i] != HeaderRole::kWhoActs) continue;
    if (column.status == AnswerStatus::kBlank) continue;
    if (column.status != AnswerStatus::kImplemented) {
      out.record = column;
      return out;
    }
  }

  // Otherwise the vendor's own columns decide; a customer's column only
  // when the vendor's say nothing. Among the vendor's columns, one that
  // does something (implemented, partial, provider, customer) outweighs
  // one that does not apply; a measure in place in any of them (one layer
  // of a platform does it) makes the record implemented, else the most
  // limiting wins.
  const StatusJudgement* best_acting = nullptr;
  const StatusJudgement* best_other = nullptr;
  const StatusJudgement* customer_side = nullptr;
  for (size_t i = 0; i < record.columns.size(); ++i) {
    const StatusJudgement& column = out.columns[i];
    if (column.status == AnswerStatus::kBlank) continue;
    if (roles[i] == HeaderRole::kCustomer) {
      if (customer_side == nullptr) customer_side = &column;
      continue;
    }
    const bool acting = column.status == AnswerStatus::kImplemented ||
                        column.status == AnswerStatus::kPartial ||
                        column.status == AnswerStatus::kProvider ||
                        column.status == AnswerStatus::kCustomer;
    const StatusJudgement*& best = acting ? best_acting : best_other;
    const bool better = best == nullptr ||
                        (column.status == AnswerStatus::kImplemented) !=
                                (best->status == AnswerStatus::kImplemented)
                            ? best == nullptr || column.status == AnswerStatus::kImplemented
                            : Rank(column.status) < Rank(best->status);
    if (better) best = &column;
  }
  const StatusJudgement* decided =
      best_acting != nullptr ? best_acting : best_other != nullptr ? best_other : customer_side;
  if (decided == nullptr) {
    out.record.status = AnswerStatus::kBlank;
    out.record.rule = "columns";
    RetiredByTitle(record, &out.record);
    return out;
  }
  out.record = *decided;
  return out;
}

std::vector<RecordAssessment> AssessAll(const extract::Extraction& extraction) {
  std::vector<RecordAssessment> out;
  out.reserve(extraction.records.size());
  const DocumentContext context = ContextOf(extraction.metadata);
  for (const extract::CriterionRecord& record : extraction.records) {
    out.push_back(AssessRecord(record, context));
  }
  return out;
}

void WriteStatusFields(const StatusJudgement& judgement, JsonWriter* json) {
  json->Key("status").String(StatusName(judgement.status));
  json->Key("status_evidence")
      .OptionalString(judgement.evidence.empty() ? std::nullopt
                                                 : std::optional<std::string>(judgement.evidence));
}

}  // namespace fiscdex::assess
