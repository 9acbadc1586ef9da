#!/usr/bin/env sh
# Regenerates every raster icon in build/ from the two hand-written SVGs.
# Needs: rsvg-convert (Debian: librsvg2-bin) and ImageMagick 6/7 (convert or magick).
#   icon.svg        master artwork, used for 48 px and up
#   icon-small.svg  pixel-grid simplified mark, used for 16/24/32 px
# Outputs:
#   icon.png            1024×1024 (mac: electron-builder turns it into .icns)
#   icons/NxN.png       16…512 (Linux: electron-builder's icon-directory layout)
#   icon.ico            16,24,32,48,64,128,256 (Windows / NSIS)
set -eu
cd "$(dirname "$0")"

if command -v magick >/dev/null 2>&1; then IM=magick; else IM=convert; fi

render() { # render SRC SIZE OUT
  rsvg-convert -w "$2" -h "$2" "$1" -o "$3.tmp.png"
  "$IM" "$3.tmp.png" -strip "PNG32:$3"
  rm -f "$3.tmp.png"
}
src_for() { if [ "$1" -le 32 ]; then echo icon-small.svg; else echo icon.svg; fi; }

render icon.svg 1024 icon.png

mkdir -p icons
for s in 16 32 48 64 128 256 512; do
  render "$(src_for "$s")" "$s" "icons/${s}x${s}.png"
done

tmp=$(mktemp -d)
for s in 16 24 32 48 64 128 256; do
  render "$(src_for "$s")" "$s" "$tmp/$s.png"
done
"$IM" "$tmp/16.png" "$tmp/24.png" "$tmp/32.png" "$tmp/48.png" \
      "$tmp/64.png" "$tmp/128.png" "$tmp/256.png" icon.ico
rm -rf "$tmp"
echo "icons written to $(pwd)"
