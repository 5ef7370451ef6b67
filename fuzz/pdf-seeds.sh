#!/bin/sh
# Seeds for make fuzz-pdf: small PDFs made by tests/mkpdf.py (one English
# page with a header and footer, one Chinese, one scanned), into DIR.
set -e
dir=$1
[ -f "$dir/en.pdf" ] && exit 0
for spec in \
	'en {"lang":"en","header":"H","footer":"Page %d","blocks":[["h1","Terms"],["p","We may amend this agree-\nment at any time."],["break"],["h2","2. Data"],["p","We share data."]]}' \
	'zh {"lang":"zh","header":"页眉","footer":"第 %d 页","blocks":[["h1","协议"],["p","我们可能会不时修改本协议。"]]}' \
	'scan {"scanned":true,"pages":1}'; do
	name=${spec%% *}
	printf '%s' "${spec#* }" > "$dir/$name.json"
	/usr/bin/python3 tests/mkpdf.py "$dir/$name.pdf" "$dir/$name.json"
	rm -f "$dir/$name.json"
done
