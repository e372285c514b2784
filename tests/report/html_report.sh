#!/bin/sh
# html_report.sh BUILD_DIR: the HTML report and the frame map, end to end,
# on this machine (the VMM boots here or in the nested host by itself).
#
# Boots the seeds' scenario (mm_secret, then mm_fresh) under clear=none,
# where the auditor finds mm_fresh reading mm_secret's tags, with
# --report html and --report-file, then checks:
#  - the page parses as XML (xmllint; it is polyglot XHTML);
#  - every audit point's map has one cell per frame of RAM;
#  - the violations table has one row per violation the JSON report
#    counts, and the map of the point that found them outlines as many;
#  - headless Chromium renders it: the screenshot is written and is not
#    blank (a blank page compresses to a few KB).
# The twin under clear=fault must have no violation row and no outline.
# The page-walk experiment's page has its matrix, cell counts matching
# the judge's summary.
# The screenshot stays in BUILD_DIR/report/ for people to look at.
set -u
B=${1:-build}
out=$B/report
mkdir -p "$out" || exit 1
fail=0

bad() {
	echo "html_report: FAIL: $*"
	fail=1
}

# count FILE STRING: occurrences of STRING in FILE
count() {
	grep -o -- "$2" "$1" | wc -l
}

# json_number FILE MEMBER: the first "MEMBER": N
json_number() {
	grep -o "\"$2\": [0-9]*" "$1" | head -1 | awk '{ print $2 }'
}

run() {
	policy=$1
	"$B/vmm" -t 120 --report html "$out/$policy.html" \
		--report-file "$out/$policy.json" -c "clear=$policy" \
		-c run=mm_secret,mm_fresh "$B/kernel.elf" "$B/user/mm_secret" \
		"$B/user/mm_fresh" > "$out/$policy.out" 2> "$out/$policy.err"
	echo $?
}

check_page() {
	policy=$1 want_exit=$2
	rc=$(run "$policy")
	[ "$rc" = "$want_exit" ] || bad "clear=$policy: vmm exited $rc, expected $want_exit (see $out/$policy.err)"
	[ -s "$out/$policy.html" ] || { bad "clear=$policy: no page"; return; }
	xmllint --noout "$out/$policy.html" || bad "clear=$policy: the page does not parse"
	points=$(count "$out/$policy.html" '<section id="p[0-9]*">')
	cells=$(count "$out/$policy.html" '<rect class="cell')
	[ "$points" -ge 3 ] || bad "clear=$policy: $points audit points, expected at least 3"
	[ "$cells" -eq $((points * 16384)) ] || bad "clear=$policy: $cells cells in $points maps, expected 16384 each"
	violations=$(json_number "$out/$policy.json" violations)
	rows=$(count "$out/$policy.html" '<tr class="violation">')
	[ "$rows" = "$violations" ] || bad "clear=$policy: $rows violation rows, the JSON report counts ${violations:-none}"
	# the map of the point that found them: "exit of pid 2" (mm_fresh)
	outlined=$(awk '/<section id="p2">/,/<\/section>/' "$out/$policy.html" | grep -o '<rect class="cell violation"' | wc -l)
	[ "$outlined" = "$violations" ] || bad "clear=$policy: $outlined cells outlined at the exit of pid 2, expected $violations"
	echo "html_report: clear=$policy: $points audit points, $cells cells, $violations violations, $outlined outlined"
}

check_page none 123
check_page fault 0
[ "$(json_number "$out/none.json" violations)" -gt 0 ] 2>/dev/null || bad "clear=none: the audit found nothing to show"

# The page-walk experiment's matrix: one cell per access, coloured by the
# judge's verdict, and as many of each as the judge's own summary line.
"$B/vmm" -t 300 -c experiment=pagewalk --report html "$out/pwx.html" \
	"$B/kernel.elf" > "$out/pwx.out" 2> "$out/pwx.err"
rc=$?
[ $rc = 0 ] || bad "pagewalk: vmm exited $rc (see $out/pwx.err)"
xmllint --noout "$out/pwx.html" || bad "pagewalk: the page does not parse"
ok=$(count "$out/pwx.html" '<td class="ok"')
quirk=$(count "$out/pwx.html" '<td class="quirk"')
badc=$(count "$out/pwx.html" '<td class="bad"')
summary=$(grep -o 'pwx: [0-9]* as the SDM says, [0-9]* mismatches explained by the .* profile, [0-9]* unexplained' "$out/pwx.err")
want_ok=$(echo "$summary" | awk '{ print $2 }')
want_quirk=$(echo "$summary" | awk '{ print $7 }')
want_bad=$(echo "$summary" | awk '{ print $(NF-1) }')
[ -n "$summary" ] || bad "pagewalk: no judge summary in $out/pwx.err"
[ "$ok/$quirk/$badc" = "$want_ok/$want_quirk/$want_bad" ] || bad "pagewalk: cells ok/quirk/bad $ok/$quirk/$badc, the judge says $want_ok/$want_quirk/$want_bad"
echo "html_report: pagewalk matrix: $ok as the SDM says, $quirk explained by the profile, $badc unexplained"

# Chromium: the first screen of the leak's page.  HOME and the profile in
# the build tree, so it writes nothing elsewhere.
rm -f "$out/none.png"
HOME=$out timeout 120 chromium --headless --no-sandbox --disable-gpu \
	--hide-scrollbars --user-data-dir="$out/chromium" \
	--window-size=1400,1100 --screenshot="$out/none.png" \
	"file://$(cd "$out" && pwd)/none.html" > "$out/chromium.log" 2>&1
size=$(wc -c < "$out/none.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || bad "chromium: screenshot $out/none.png is $size bytes (blank or missing; see $out/chromium.log)"
echo "html_report: chromium screenshot $out/none.png, $size bytes"
[ $fail = 0 ] && echo "html_report: ok"
exit $fail
