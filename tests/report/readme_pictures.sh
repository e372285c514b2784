#!/bin/sh
# readme_pictures.sh BUILD_DIR: the README's two frame maps, the seeds'
# scenario (mm_secret, then mm_fresh) in 16 MiB of RAM at the exit of
# mm_fresh (pid 2), under clear=none and clear=fault, as PNG screenshots
# of the SVGs by headless Chromium, into tests/report/.
set -eu
B=${1:-build}
out=$B/report/readme
mkdir -p "$out"
for policy in none fault; do
	"$B/vmm" -m 16M --frame-map "$out/$policy" -c "clear=$policy" \
		-c run=mm_secret,mm_fresh "$B/kernel.elf" "$B/user/mm_secret" \
		"$B/user/mm_fresh" > /dev/null 2>&1 || true
	HOME=$out chromium --headless --no-sandbox --disable-gpu \
		--hide-scrollbars --user-data-dir="$out/chromium" \
		--window-size=1200,340 \
		--screenshot="tests/report/seeds-clear-$policy.png" \
		"file://$(cd "$out" && pwd)/$policy-002.svg" > /dev/null 2>&1
	echo "tests/report/seeds-clear-$policy.png"
done
