#!/usr/bin/env bash
# Builds a libFuzzer target with AddressSanitizer and runs it:
#
#   scripts/fuzz.sh TARGET [SECONDS]      (SECONDS defaults to 60)
#
# Each target compiles Fuzz/<Name>Fuzz.swift together with the library sources it needs into one
# module (`swiftc -sanitize=fuzzer,address -parse-as-library -O`), so no SwiftPM build is
# involved. Build products, the corpus and any crash inputs go to .build-fuzz/TARGET/; the corpus
# is seeded from the test fixtures and kept between runs. Exits non-zero when libFuzzer finds a
# crash, leak or timeout; reproduce one with `.build-fuzz/TARGET/fuzzer CRASH-FILE`.
#
# To add a target, write Fuzz/<Name>Fuzz.swift and a target_<name> function below that sets:
#   harness   the Fuzz/ file with the LLVMFuzzerTestOneInput entry point
#   sources   the library files it needs, compiled into the harness's module
#   seeds     files to seed the corpus with
#   modules   (optional) packages to build as separate modules first; only ZIPFoundation so far
set -euo pipefail
cd "$(dirname "$0")/.."

target_numpy() {
    harness=Fuzz/NumPyFuzz.swift
    sources=(
        Sources/MLRunData/NumPyError.swift
        Sources/MLRunData/NumPyArray.swift
        Sources/MLRunData/NumPyArray+Header.swift
        Sources/MLRunData/NumPyArray+Elements.swift
        Sources/MLRunData/NumPyArray.DType.swift
    )
    seeds=(Tests/MLRunDataTests/Fixtures/npy/*.npy)
}

target_npz() {
    harness=Fuzz/NumPyArchiveFuzz.swift
    target_numpy
    harness=Fuzz/NumPyArchiveFuzz.swift
    sources+=(
        Sources/MLRunData/NumPyArchive.swift
        Sources/MLRunData/NumPyArchive.CentralDirectory.swift
    )
    seeds=(Tests/MLRunDataTests/Fixtures/npy/*.npz)
    modules=(ZIPFoundation)
}

target_csv() {
    harness=Fuzz/CSVFuzz.swift
    sources=(
        Sources/MLRunData/CSVReader.swift
        Sources/MLRunData/CSVTokenizer.swift
        Sources/MLRunData/RecordBatch.swift
        Sources/MLRunData/DataError.swift
    )
    seeds=(Fuzz/seeds/csv/*.csv)
}

target_safetensors() {
    harness=Fuzz/SafetensorsFuzz.swift
    sources=(
        Sources/JSONText/JSONString.swift
        Sources/MLRunTensors/Tensor.swift
        Sources/MLRunTensors/Tensor+Values.swift
        Sources/MLRunTensors/TensorBuffer.swift
        Sources/MLRunTensors/TensorDType.swift
        Sources/MLRunTensors/TensorFile.swift
        Sources/MLRunTensors/TensorFile+Safetensors.swift
        Sources/MLRunTensors/TensorFileError.swift
        Sources/MLRunTensors/HeaderJSON.swift
        Sources/MLRunTensors/SafetensorsHeader.swift
        Sources/MLRunTensors/SafetensorsHeader.EntryReader.swift
    )
    seeds=(Tests/MLRunTensorsTests/Fixtures/safetensors/*.safetensors Tests/MLRunTensorsTests/Fixtures/safetensors/corrupt/*.safetensors)
}

usage() {
    echo "usage: scripts/fuzz.sh TARGET [SECONDS]" >&2
    echo "targets: $(declare -F | sed -n 's/^declare -f target_//p' | tr '\n' ' ')" >&2
    exit 2
}

target=${1:-}
seconds=${2:-60}
[[ -n "$target" ]] && declare -F "target_$target" >/dev/null || usage
[[ "$seconds" =~ ^[0-9]+$ ]] || usage
modules=()
"target_$target"

out=.build-fuzz/$target
mkdir -p "$out/corpus" "$out/artifacts" .build-fuzz
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -use-ld=lld -package-name mlrun)
module_flags=()

# ZIPFoundation, from the checkout SwiftPM resolves into .build-fuzz/ (the version Package.resolved pins).
build_ZIPFoundation() {
    swift package --scratch-path .build-fuzz resolve >.build-fuzz/resolve.log 2>&1 || { cat .build-fuzz/resolve.log >&2; exit 1; }
    local checkout=.build-fuzz/checkouts/ZIPFoundation
    local lib=.build-fuzz/modules
    mkdir -p "$lib"
    if [[ ! -f "$lib/libZIPFoundation.a" || "$lib/libZIPFoundation.a" -ot "$checkout/Package.swift" ]]; then
        echo "== building ZIPFoundation module from $checkout"
        swiftc -sanitize=fuzzer,address -parse-as-library -O -swift-version 5 \
            -module-name ZIPFoundation -emit-module -emit-module-path "$lib/ZIPFoundation.swiftmodule" \
            -emit-library -static -o "$lib/libZIPFoundation.a" \
            -I "$checkout/Sources/CZLib" -Xcc -D_GNU_SOURCE=1 \
            "$checkout"/Sources/ZIPFoundation/*.swift
    fi
    module_flags+=(-I "$lib" -L "$lib" -lZIPFoundation -I "$checkout/Sources/CZLib" -lz)
}
for module in "${modules[@]}"; do "build_$module"; done

echo "== compiling $harness with ${#sources[@]} sources into $out/fuzzer"
swiftc "${flags[@]}" "${module_flags[@]}" -module-name "Fuzz_$target" "$harness" "${sources[@]}" -o "$out/fuzzer"

cp -n "${seeds[@]}" "$out/corpus/" 2>/dev/null || true
echo "== fuzzing $target for $seconds s (corpus: $out/corpus, crashes: $out/artifacts)"
"$out/fuzzer" "$out/corpus" -max_total_time="$seconds" -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/" -max_len=4096 -timeout=10
