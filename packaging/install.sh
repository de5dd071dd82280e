#!/bin/sh
# Install the packaged Kakikomi for the current user only (nothing outside ~/.local, no root):
#   the app folder          ~/.local/opt/Kakikomi/
#   the command             ~/.local/bin/kakikomi
#   the menu entry          ~/.local/share/applications/kakikomi.desktop (opens .md files too)
#   the icons               ~/.local/share/icons/hicolor/*/apps/kakikomi.{png,svg}
#   the AppStream metadata  ~/.local/share/metainfo/io.github.kakikomi.Kakikomi.metainfo.xml
#
# From the unpacked archive:    ./Kakikomi/install.sh
# From a checkout after a build: packaging/install.sh dist/Kakikomi
# To remove it again:            ~/.local/opt/Kakikomi/install.sh --uninstall
# Uninstalling never touches your library (~/.local/share/Kakikomi/) or settings (~/.config/Kakikomi/).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
app_dir=$HOME/.local/opt/Kakikomi
bin_dir=$HOME/.local/bin
apps_dir=$data_home/applications
icons_dir=$data_home/icons/hicolor
metainfo_dir=$data_home/metainfo
app_id=io.github.kakikomi.Kakikomi
png_sizes="16 22 24 32 48 64 128 256 512"

refresh_caches() {
    # Menus pick the entry up without these on most desktops; they only make it quicker.
    if command -v update-desktop-database >/dev/null 2>&1; then update-desktop-database -q "$apps_dir" || true; fi
    if [ -f "$icons_dir/icon-theme.cache" ] && command -v gtk-update-icon-cache >/dev/null 2>&1; then
        gtk-update-icon-cache -q -t "$icons_dir" 2>/dev/null || true  # only a cache that is already there
    fi
}

if [ "${1:-}" = "--uninstall" ]; then
    rm -f "$bin_dir/kakikomi" "$apps_dir/kakikomi.desktop" "$metainfo_dir/$app_id.metainfo.xml"
    rm -f "$icons_dir/scalable/apps/kakikomi.svg"
    for size in $png_sizes; do rm -f "$icons_dir/${size}x${size}/apps/kakikomi.png"; done
    case "$here" in "$app_dir") cd "$HOME" ;; esac  # the script may live in the folder it removes
    rm -rf "$app_dir"
    refresh_caches
    echo "Kakikomi is uninstalled. Your library and settings are still in $data_home/Kakikomi and ~/.config/Kakikomi."
    exit 0
fi

# Where the app is: this script's own folder in the unpacked archive, else the folder given.
if [ -x "$here/Kakikomi" ] && [ -d "$here/_internal" ]; then
    source_dir=$here
else
    source_dir=${1:-$here/../dist/Kakikomi}
fi
if [ ! -x "$source_dir/Kakikomi" ] || [ ! -d "$source_dir/_internal" ]; then
    echo "install.sh: no packaged Kakikomi in $source_dir (build it with 'make package', or unpack the archive)." >&2
    exit 2
fi
source_dir=$(cd "$source_dir" && pwd)
# The desktop entry, metadata and icons: beside this script (archive) or in the checkout.
desktop_file=$here/kakikomi.desktop
metainfo_file=$here/kakikomi.metainfo.xml
icon_source=$source_dir/_internal/resources/icons

# 1. The app folder: copied next to the old one, then swapped in, so a failed copy leaves the
#    installed app as it was.
if [ "$source_dir" != "$app_dir" ]; then
    mkdir -p "$(dirname "$app_dir")"
    rm -rf "$app_dir.new"
    cp -R "$source_dir" "$app_dir.new"
    for extra in install.sh kakikomi.desktop kakikomi.metainfo.xml; do
        cp "$here/$extra" "$app_dir.new/$extra"
    done
    rm -rf "$app_dir.old"
    if [ -e "$app_dir" ]; then mv "$app_dir" "$app_dir.old"; fi
    mv "$app_dir.new" "$app_dir"
    rm -rf "$app_dir.old"
fi

# 2. The command.
mkdir -p "$bin_dir"
ln -sf "$app_dir/Kakikomi" "$bin_dir/kakikomi"

# 3. The menu entry, with the full path of the program (~/.local/bin is not on every PATH).
mkdir -p "$apps_dir"
sed "s|^Exec=kakikomi |Exec=\"$app_dir/Kakikomi\" |; s|^Exec=kakikomi\$|Exec=\"$app_dir/Kakikomi\"|" \
    "$desktop_file" > "$apps_dir/kakikomi.desktop"
chmod 644 "$apps_dir/kakikomi.desktop"

# 4. The icons.
mkdir -p "$icons_dir/scalable/apps"
cp "$icon_source/kakikomi.svg" "$icons_dir/scalable/apps/kakikomi.svg"
for size in $png_sizes; do
    mkdir -p "$icons_dir/${size}x${size}/apps"
    cp "$icon_source/kakikomi-$size.png" "$icons_dir/${size}x${size}/apps/kakikomi.png"
done

# 5. The AppStream metadata.
mkdir -p "$metainfo_dir"
cp "$metainfo_file" "$metainfo_dir/$app_id.metainfo.xml"

refresh_caches
echo "Kakikomi $("$app_dir/Kakikomi" --version | sed 's/^Kakikomi //') is installed in $app_dir."
echo "Start it from your applications menu, or run: $bin_dir/kakikomi"
case ":$PATH:" in *":$bin_dir:"*) ;; *) echo "($bin_dir is not on your PATH: add it to run 'kakikomi' by name.)" ;; esac
