#!/usr/bin/env bash
# The GitHub Action's install step: with MODE=download, fetch ARCHIVE from URL (unless the cache
# already restored DIR), check it against the release's sha256 file, and unpack the binary into
# DIR; with MODE=compile, build the action's source with cargo. Writes the binary's path as
# `evreg` to $GITHUB_OUTPUT.
set -euo pipefail
exe=evreg
case "$ARCHIVE" in *.zip) exe=evreg.exe ;; esac
if [ "$MODE" = download ]; then
  bin="$DIR/$exe"
  if [ ! -x "$bin" ]; then
    tmp=$(mktemp -d)
    curl -fsSL --retry 3 -o "$tmp/$ARCHIVE" "$URL"
    curl -fsSL --retry 3 -o "$tmp/$ARCHIVE.sha256" "$URL.sha256"
    expected=$(awk '{print $1; exit}' "$tmp/$ARCHIVE.sha256")
    if command -v sha256sum >/dev/null; then
      actual=$(sha256sum "$tmp/$ARCHIVE" | awk '{print $1}')
    else
      actual=$(shasum -a 256 "$tmp/$ARCHIVE" | awk '{print $1}')
    fi
    if [ -z "$expected" ] || [ "$expected" != "$actual" ]; then
      echo "::error title=evreg install::$ARCHIVE has sha256 $actual, but the release says ${expected:-nothing}; not installed"
      exit 1
    fi
    mkdir -p "$tmp/unpacked" "$DIR"
    case "$ARCHIVE" in
      *.zip) unzip -q "$tmp/$ARCHIVE" -d "$tmp/unpacked" ;;
      *) tar -xzf "$tmp/$ARCHIVE" -C "$tmp/unpacked" ;;
    esac
    stem=${ARCHIVE%.zip}
    stem=${stem%.tar.gz}
    cp "$tmp/unpacked/$stem/$exe" "$bin"
    chmod +x "$bin"
    rm -rf "$tmp"
  fi
else
  cargo install --locked --path "$ACTION_PATH" --root "$RUNNER_TEMP/evreg"
  bin="$RUNNER_TEMP/evreg/bin/$exe"
fi
"$bin" --version
echo "evreg=$bin" >> "$GITHUB_OUTPUT"
