#!/bin/sh
# Make the README's screenshots again with the app's own `kakikomi screenshot` (offscreen, the
# bundled sample post, a throw-away library). Run from the checkout with Kakikomi installed
# (make run / make test set up .venv): sh docs/screenshots/make.sh [path/to/kakikomi]
set -eu
kakikomi=${1:-.venv/bin/kakikomi}
out=$(cd "$(dirname "$0")" && pwd)
export QT_QPA_PLATFORM=offscreen
if [ "$(id -u)" = 0 ]; then export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:-} --no-sandbox"; fi
KAKIKOMI_HOME=$(mktemp -d)
export KAKIKOMI_HOME
trap 'rm -rf "$KAKIKOMI_HOME"' EXIT

"$kakikomi" screenshot -o "$out/light.png"
"$kakikomi" screenshot -o "$out/dark.png" --theme dark
"$kakikomi" screenshot -o "$out/vertical-furigana.png" --vertical --furigana all --theme sepia
"$kakikomi" screenshot -o "$out/claim.png" --highlight "あるSNS企業が一年で740億ドル近くをインフラにつぎ込んだ"
"$kakikomi" screenshot -o "$out/japanese-ui.png" --language ja --furigana grade:6
# The whole window in each theme (the widgets take the page's colours), and a dialog in dark.
for theme in light sepia dark; do
  "$kakikomi" screenshot -o "$out/theme-$theme.png" --theme "$theme" --highlight "あるSNS企業が一年で740億ドル近くをインフラにつぎ込んだ"
done
"$(dirname "$kakikomi")/python" "$out/dialog.py" "$out/theme-dark-dialog.png" --theme dark
# The sidebar's search (a kana query, a match marked in the page) and the notebook.
"$(dirname "$kakikomi")/python" "$out/notes.py" "$out"
# The learner's window (unknown words only, underlines, the vocabulary panel, the word popup), EN and JA.
"$(dirname "$kakikomi")/python" "$out/learner.py" "$out"
