#!/bin/sh
# Regenerates the two corpus files that are not UTF-8: 12_sjis_nishiki.txt
# (Shift_JIS / CP932) and 12_utf16_yamabuki.txt (UTF-16LE with a BOM). The
# UTF-8 text lives here rather than in the corpus, so that every file in
# corpus/ is an input with its own expected records. Run from anywhere;
# needs iconv. The committed outputs are byte-for-byte what this writes.
set -eu
cd "$(dirname "$0")"

cat <<'EOF_SJIS' | iconv -f UTF-8 -t CP932 > 12_sjis_nishiki.txt
ニシキ計算センター 共同利用型勘定系サービス
FISC安全対策基準 対応状況

金融機関等コンピュータシステムの安全対策基準・解説書（第9版）対応
2019年2月28日
作成：株式会社ニシキ計算センター

本資料はShift_JISで作成しています。

基準番号	対応状況
統1	ニシキ計算センターは、安全対策規程を定め、年1回見直しを行っています。
統2～統3	
統13	情報セキュリティの遵守状況を半期ごとに自己点検しています。
統20	外部委託先の選定基準を定め、委託先のセキュリティ体制を事前に評価しています。
実1	パスワードは暗号化して保管し、画面には表示しません。
実3	顧客データとバックアップを暗号化し、暗号鍵は二名で分担して管理しています。
実8	オペレーターの認証には ICカードとパスワードを併用しています。
実14	外部ネットワークとの接続点にファイアウォールを設置し、不正アクセスを防止しています。
実39	バックアップは日次で取得し、遠隔地の保管庫へ週1回搬送しています。
監1	監査法人による外部監査を受け、指摘事項を経営会議に報告しています。

以上
EOF_SJIS

# UTF-16LE does not write a BOM; print one first so detection is by BOM.
{
  printf '\377\376'
  cat <<'EOF_UTF16' | iconv -f UTF-8 -t UTF-16LE
ヤマブキ文書管理クラウド
安全対策基準への対応について

FISC「金融機関等コンピュータシステムの安全対策基準・解説書（第10版）」対応
2022年8月8日
作成：ヤマブキソフト株式会社

本資料はUTF-16で保存しています。

基準番号	対応状況
統1	ヤマブキソフトは、ISO27001認証を取得し、安全対策規程を整備しています。
統4	情報セキュリティ委員会を毎月開催し、対策の進捗を確認しています。
実1	パスワードの最低文字数を12文字とし、ハッシュ化して保存しています。
実3	ファイル保管領域を暗号化しています。 暗号鍵はお客様ごとに分けて管理しています。
実9	一定回数のログイン失敗でアカウントをロックします。
実26 実27	管理者権限の付与は、申請と上長承認を経て行っています。
実39	バックアップは6時間ごとに取得し、14日間保管しています。
実100	障害発生時は、ステータスページでお客様に状況をお知らせしています。
監1	第三者機関によるISMS審査を毎年受けています。

以上
EOF_UTF16
} > 12_utf16_yamabuki.txt
