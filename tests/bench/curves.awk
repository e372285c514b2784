# curves.awk: draw how costs grow with size, as an SVG, from lines of
#   PANEL <TAB> SERIES <TAB> MIB <TAB> INSTRUCTIONS
# (side_by_side.sh writes them).  One panel per PANEL, in the order first
# seen, side by side; in each, one line per SERIES over MIB, both axes
# logarithmic (a cost proportional to size is a line of slope 1, a
# constant one is flat).  The series get fixed colours by name: "Linux"
# and "plain read" grey, "ours" and "full pass" blue, anything else
# (ours with ptshare=0, the incremental pass) orange, dashed.
#   awk -f tests/bench/curves.awk curves.tsv > curves.svg
BEGIN {
	FS = "\t"
	W = 330; H = 300               # one panel
	L = 62; R = 12; T = 46; Bm = 44 # its margins
	np = 0
}
{
	if (!($1 in pix)) {
		pix[$1] = np
		pname[np++] = $1
	}
	p = pix[$1]
	if (!((p, $2) in six)) {
		six[p, $2] = ns[p] + 0
		sname[p, ns[p]++] = $2
	}
	s = six[p, $2]
	k = npt[p, s] + 0
	npt[p, s] = k + 1
	px[p, s, k] = $3 + 0
	py[p, s, k] = $4 + 0
	if (!(p in xmin) || $3 + 0 < xmin[p]) xmin[p] = $3 + 0
	if (!(p in xmax) || $3 + 0 > xmax[p]) xmax[p] = $3 + 0
	if ($4 + 0 > 0 && (!(p in ymin) || $4 + 0 < ymin[p])) ymin[p] = $4 + 0
	if (!(p in ymax) || $4 + 0 > ymax[p]) ymax[p] = $4 + 0
}
function lg(v) { return log(v) / log(10) }
function colour(name) {
	if (name ~ /^(Linux|plain read)$/) return "#666666"
	if (name ~ /^(ours|full pass)$/) return "#1f5fbf"
	return "#d9731a"
}
function num(v) {
	if (v >= 1e9) return sprintf("%gG", v / 1e9)
	if (v >= 1e6) return sprintf("%gM", v / 1e6)
	if (v >= 1e3) return sprintf("%gk", v / 1e3)
	return sprintf("%g", v)
}
END {
	printf "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"11\">\n", W * np, H + 24
	printf "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
	printf "<text x=\"8\" y=\"16\" font-size=\"13\">cost against size (MiB), log-log: instructions per operation, Linux 6.1 and ours on the same emulated CPU (QEMU -icount); the auditor in microseconds on the host</text>\n"
	for (p = 0; p < np; p++) {
		ox = p * W
		if (!(p in ymin) || ymax[p] <= 0)
			continue        # nothing to draw on a log scale
		# decades that hold the data
		y0 = int(lg(ymin[p])); if (lg(ymin[p]) < y0) y0--
		y1 = int(lg(ymax[p])); if (lg(ymax[p]) > y1) y1++
		if (y1 == y0) y1++
		if (y1 - y0 > 12) y0 = y1 - 12  # bounded, whatever the input
		x0 = lg(xmin[p]); x1 = lg(xmax[p]); if (x1 == x0) x1 = x0 + 1
		pw = W - L - R; ph = H - T - Bm
		printf "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">%s</text>\n", ox + L, T - 16 + 24, pname[p]
		printf "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n", ox + L, T + 24, pw, ph
		for (d = y0; d <= y1; d++) {
			yy = T + 24 + ph - (d - y0) / (y1 - y0) * ph
			printf "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", ox + L, ox + L + pw, yy, yy
			printf "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", ox + L - 4, yy + 4, num(10 ^ d)
		}
		for (k = 0; k < npt[p, 0]; k++) {
			xx = ox + L + (lg(px[p, 0, k]) - x0) / (x1 - x0) * pw
			printf "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%g</text>\n", xx, T + 24 + ph + 14, px[p, 0, k]
		}
		printf "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">MiB</text>\n", ox + L + pw / 2, T + 24 + ph + 30
		for (s = 0; s < ns[p]; s++) {
			pts = ""
			for (k = 0; k < npt[p, s]; k++) {
				v = py[p, s, k] > 10 ^ y0 ? py[p, s, k] : 10 ^ y0
				xx = ox + L + (lg(px[p, s, k]) - x0) / (x1 - x0) * pw
				yy = T + 24 + ph - (lg(v) - y0) / (y1 - y0) * ph
				pts = pts sprintf("%.1f,%.1f ", xx, yy)
				printf "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>\n", xx, yy, colour(sname[p, s])
			}
			printf "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>\n", pts, colour(sname[p, s]), sname[p, s] ~ /^(Linux|ours|plain read|full pass)$/ ? "" : " stroke-dasharray=\"5,3\""
			printf "<text x=\"%d\" y=\"%d\" fill=\"%s\">%s</text>\n", ox + L + 6, T + 24 + 14 + 13 * s, colour(sname[p, s]), sname[p, s]
		}
	}
	printf "</svg>\n"
}
