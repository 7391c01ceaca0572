#!/usr/bin/env bash
# The GitHub Action's first step: decide whether evreg is downloaded from a release or compiled,
# and for which target. Reads ACTION_PATH, ACTION_REF, ACTION_REPOSITORY, RUNNER_OS_NAME,
# RUNNER_ARCH_NAME and RUNNER_TOOL_CACHE_DIR; writes mode, version, target, archive, url and dir
# to $GITHUB_OUTPUT.
#
# A release's binary is used only when the action runs at that release's own source: the ref is
# the release tag (v0.3.1), a floating tag of it (v0, v0.3), or the commit the tag points at (a
# workflow that pins actions by digest). Any other ref — a branch, a commit between releases, a
# fork without releases — compiles the action's source, so the binary always matches the action.
set -euo pipefail
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$ACTION_PATH/Cargo.toml" | head -n 1)
tag="v$version"
case "$RUNNER_OS_NAME/$RUNNER_ARCH_NAME" in
  Linux/X64) target=x86_64-unknown-linux-musl ;;
  Linux/ARM64) target=aarch64-unknown-linux-musl ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac
case "$target" in
  *windows*) archive="evreg-$tag-$target.zip" ;;
  *) archive="evreg-$tag-$target.tar.gz" ;;
esac
url="https://github.com/$ACTION_REPOSITORY/releases/download/$tag"
mode=compile
ref=${ACTION_REF:-}
if [ -n "$target" ] && [ -n "${ACTION_REPOSITORY:-}" ] && [ -n "$ref" ]; then
  major_minor=${tag%.*}
  major=${major_minor%.*}
  if [ "$ref" = "$tag" ] || [ "$ref" = "$major_minor" ] || [ "$ref" = "$major" ]; then
    mode=download
  elif [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
    # The release names the commit it was built from.
    commit=$(curl -fsSL --retry 3 "$url/SOURCE_COMMIT" 2>/dev/null || true)
    if [ "$commit" = "$ref" ]; then
      mode=download
    fi
  fi
fi
if [ "$mode" = compile ]; then
  echo "evreg: the action runs at '${ref:-?}', which is not release $tag of ${ACTION_REPOSITORY:-this action} for ${target:-this runner}; compiling it from source (a few minutes; pin a release tag to download)"
fi
{
  echo "mode=$mode"
  echo "version=$version"
  echo "target=$target"
  echo "archive=$archive"
  echo "url=$url/$archive"
  echo "dir=$RUNNER_TOOL_CACHE_DIR/evreg/$version/$target"
} >> "$GITHUB_OUTPUT"
