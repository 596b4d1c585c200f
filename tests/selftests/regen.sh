#!/bin/bash
# Regenerates the selftests corpus (tests/selftests/obj, answers, logs) from the Linux 6.12
# source tree's verifier selftests and the running kernel's answers. See README.md.
#
#   tests/selftests/regen.sh [NAME...]     NAME: verifier_and etc.; default every verifier_*.c
#
# Needs root (bpf(), capabilities) and Debian's apt-get for what is missing. Works in
# $SCRATCH (default /tmp/bpfplay-selftests); writes only tests/selftests/{obj,answers,logs}.
# Environment: SCRATCH, JOBS (make -j, default 1), KEEP=1 (reuse an existing scratch tree).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
SCRATCH=${SCRATCH:-/tmp/bpfplay-selftests}
JOBS=${JOBS:-1}
KVER=6.12
CLANG=clang-19
start=$(date +%s)

say() { printf '[regen %4ss] %s\n' "$(($(date +%s) - start))" "$*" >&2; }

# --- 1. packages ---------------------------------------------------------------------------
pkgs=(linux-source-$KVER clang-19 llvm-19 libbpf-dev bpftool libelf-dev zlib1g-dev make gcc jq gzip xz-utils)
missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
tarball=$(ls /usr/src/linux-source-$KVER.tar.* | head -1)

# --- 2. the source files -------------------------------------------------------------------
# The selftests' programs and every header they may include (all *.h of selftests/bpf, a
# superset), the tree's libbpf with what its build needs, the tools' uapi headers.
src=$SCRATCH/linux-source-$KVER
st=$src/tools/testing/selftests/bpf
if [[ ${KEEP:-} == 1 && -d $st/progs ]]; then
    say "reusing $src"
else
    say "extracting from $tarball"
    rm -rf "$SCRATCH"
    mkdir -p "$SCRATCH"
    tar -C "$SCRATCH" -xf "$tarball" --wildcards \
        "linux-source-$KVER/tools/testing/selftests/bpf/progs/verifier_*.c" \
        "linux-source-$KVER/tools/testing/selftests/bpf/progs/btf__core_reloc_bitfields.c" \
        "linux-source-$KVER/tools/testing/selftests/bpf/*.h" \
        "linux-source-$KVER/tools/testing/selftests/bpf/Makefile" \
        "linux-source-$KVER/tools/testing/selftests/bpf/test_loader.c" \
        "linux-source-$KVER/tools/lib/*" \
        "linux-source-$KVER/tools/include/*" \
        "linux-source-$KVER/tools/arch/x86/*" \
        "linux-source-$KVER/tools/build/*" \
        "linux-source-$KVER/tools/scripts/*" \
        "linux-source-$KVER/scripts/bpf_doc.py"
fi

# --- 3. libbpf from the tree (1.5; Debian's 1.1.2 lacks ~30 section names) ----------------
# Installed where the selftests Makefile puts it: $(SCRATCH_DIR)/include = selftests/bpf/tools.
inc=$st/tools/include
if [[ ! -f $SCRATCH/libbpf/libbpf.a ]]; then
    say "building libbpf"
    mkdir -p "$SCRATCH/libbpf"
    make -s -C "$src/tools/lib/bpf" -j"$JOBS" OUTPUT="$SCRATCH/libbpf/" \
        DESTDIR="$SCRATCH/libbpf-root" prefix=/usr install_headers "$SCRATCH/libbpf/libbpf.a" >/dev/null
fi
mkdir -p "$inc"
cp -r "$SCRATCH/libbpf-root/usr/include/bpf" "$inc/"

# --- 4. vmlinux.h of the running kernel ----------------------------------------------------
bpftool btf dump file /sys/kernel/btf/vmlinux format c >"$inc/vmlinux.h"

# --- 5. compile as the selftests Makefile does (test_progs flavour) ------------------------
# BPF_CFLAGS + CLANG_CFLAGS (the host clang's system includes as -idirafter) +
# -DENABLE_ATOMICS_TESTS, CLANG_BPF_BUILD_RULE: -O2 --target=bpf -c -mcpu=v3. The file
# prefix map makes the objects independent of $SCRATCH.
sys_inc=$($CLANG -v -E - </dev/null 2>&1 |
    sed -n '/<...> search starts here:/,/End of search list./{ s| \(/.*\)|-idirafter \1|p }')
cflags=(-g -Wall -Werror -D__TARGET_ARCH_x86 -mlittle-endian
    -I"$inc" -I"$st" -I"$src/tools/include/uapi" -I"$st/../usr/include"
    -Wno-compare-distinct-pointer-types $sys_inc -DENABLE_ATOMICS_TESTS
    -ffile-prefix-map="$SCRATCH"=/usr/src)
# per-file flags of the Makefile ($(file)-CFLAGS)
file_cflags() { case $1 in verifier_nocsr) echo -fno-strict-aliasing ;; esac; }

objdir=$SCRATCH/obj
mkdir -p "$objdir" "$SCRATCH/btf" "$SCRATCH/out"
if (($#)); then names=("$@"); else
    names=()
    for f in "$st"/progs/verifier_*.c; do names+=("$(basename "$f" .c)"); done
fi
say "compiling ${#names[@]} files"
(cd "$st" && $CLANG "${cflags[@]}" -O2 --target=bpf -c progs/btf__core_reloc_bitfields.c \
    -mcpu=v3 -o "$SCRATCH/btf/btf__core_reloc_bitfields.bpf.o")
declare -A cerr=()
for n in "${names[@]}"; do
    # shellcheck disable=SC2046
    if ! (cd "$st" && $CLANG "${cflags[@]}" $(file_cflags "$n") -O2 --target=bpf \
        -c "progs/$n.c" -mcpu=v3 -o "$objdir/$n.o") 2>"$objdir/$n.err"; then
        cerr[$n]=$(grep -m1 'error:' "$objdir/$n.err" || head -1 "$objdir/$n.err")
        say "  $n does not compile: ${cerr[$n]}"
        rm -f "$objdir/$n.o"
    fi
done

# --- 6. the loader -------------------------------------------------------------------------
say "building the loader"
cc -O2 -g -Wall -o "$SCRATCH/loader" "$here/loader.c" -I"$SCRATCH/libbpf-root/usr/include" \
    "$SCRATCH/libbpf/libbpf.a" -lelf -lz

# --- 7. the kernel's answers ---------------------------------------------------------------
mkdir -p "$here/obj" "$here/answers" "$here/logs"
for n in "${names[@]}"; do
    if [[ -n ${cerr[$n]:-} ]]; then
        jq -n --arg o "$n.o" --arg k "$(uname -r)" --arg e "${cerr[$n]}" \
            '{format: 1, object: $o, kernel: $k, compile_error: $e, programs: []}' \
            >"$here/answers/$n.json"
        rm -f "$here/obj/$n.o" "$here/logs/$n.json.gz"
        continue
    fi
    say "  $n"
    (cd "$objdir" && "$SCRATCH/loader" -b "$SCRATCH/btf" -n "$n" "$n.o" \
        "$SCRATCH/out/$n.json" "$SCRATCH/out/$n.log.json")
    cp "$objdir/$n.o" "$here/obj/$n.o"
    cp "$SCRATCH/out/$n.json" "$here/answers/$n.json"
    gzip -n -9 -c "$SCRATCH/out/$n.log.json" >"$here/logs/$n.json.gz"
done
say "done: $(ls "$here"/obj/*.o | wc -l) objects; $(du -sh "$here" | cut -f1) in $here"
