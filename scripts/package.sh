#!/usr/bin/env bash
# Build evreg for TARGET (default: this machine's) in release mode and pack it the way releases
# ship it: dist/evreg-vVERSION-TARGET.tar.gz (.zip for Windows) holding a folder of the same name
# with the binary, README.md, LICENSE and CHANGELOG.md, plus dist/ARCHIVE.sha256 ("HASH  ARCHIVE",
# as sha256sum -c reads it). The release workflow runs it per target; CI runs it for the host.
# Usage: bash scripts/package.sh [TARGET]
set -euo pipefail
cd "$(dirname "$0")/.."
host=$(rustc -vV | sed -n 's/^host: //p')
target=${1:-$host}
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)
name="evreg-v$version-$target"
exe=evreg
case "$target" in *windows*) exe=evreg.exe ;; esac
if [ "$target" = "$host" ]; then
  # The host build shares target/release with every other release build of this checkout.
  cargo build --release --locked
  built="${CARGO_TARGET_DIR:-target}/release/$exe"
else
  cargo build --release --locked --target "$target"
  built="${CARGO_TARGET_DIR:-target}/$target/release/$exe"
fi
built=$(cd "$(dirname "$built")" && pwd)/$exe
rm -rf "dist/$name"
mkdir -p "dist/$name"
cp "$built" README.md LICENSE CHANGELOG.md "dist/$name/"
cd dist
case "$target" in
  *windows*)
    archive="$name.zip"
    rm -f "$archive"
    if command -v 7z >/dev/null; then 7z a -tzip -bd "$archive" "$name" >/dev/null; else zip -qr "$archive" "$name"; fi
    ;;
  *)
    archive="$name.tar.gz"
    tar -czf "$archive" "$name"
    ;;
esac
rm -rf "$name"
if command -v sha256sum >/dev/null; then
  sha256sum "$archive" > "$archive.sha256"
else
  shasum -a 256 "$archive" > "$archive.sha256"
fi
# The archive must hold a binary that runs (for the host) and the documents it promises.
listing=$(case "$archive" in *.zip) unzip -l "$archive" ;; *) tar -tzf "$archive" ;; esac)
for f in "$exe" README.md LICENSE CHANGELOG.md; do
  grep -q "$name/$f" <<<"$listing" || { echo "package: $archive lacks $f" >&2; exit 1; }
done
if [ "$target" = "$host" ]; then
  "$built" --version >/dev/null
fi
echo "dist/$archive"
echo "dist/$archive.sha256"
