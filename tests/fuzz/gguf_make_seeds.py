#!/usr/bin/env python3
"""Writes the seed corpus of the GGUF fuzzer (tests/fuzz/corpus/gguf/).

Regenerate with:  python3 tests/fuzz/gguf_make_seeds.py tests/fuzz/corpus/gguf
Seeds are small valid files covering every metadata type, nested arrays, an explicit
alignment and tensors of several ggml types, so mutations start from deep parser states.
"""
import struct
import sys
from pathlib import Path


def s(text: bytes) -> bytes:
    return struct.pack("<Q", len(text)) + text


def kv(key: bytes, type_id: int, payload: bytes) -> bytes:
    return s(key) + struct.pack("<I", type_id) + payload


def tensor(name: bytes, dims, type_id: int, offset: int) -> bytes:
    out = s(name) + struct.pack("<I", len(dims))
    for d in dims:
        out += struct.pack("<Q", d)
    return out + struct.pack("<IQ", type_id, offset)


def gguf(version, kvs, tensors, data, alignment=32) -> bytes:
    head = b"GGUF" + struct.pack("<IQQ", version, len(tensors), len(kvs))
    head += b"".join(kvs) + b"".join(tensors)
    head += b"\0" * (-len(head) % alignment)
    return head + data


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    scalars = [
        kv(b"general.architecture", 8, s(b"llama")),
        kv(b"u8", 0, b"\x07"), kv(b"i8", 1, b"\xf9"), kv(b"u16", 2, struct.pack("<H", 600)),
        kv(b"i16", 3, struct.pack("<h", -600)), kv(b"u32", 4, struct.pack("<I", 70000)),
        kv(b"i32", 5, struct.pack("<i", -70000)), kv(b"f32", 6, struct.pack("<f", 0.5)),
        kv(b"bool", 7, b"\x01"), kv(b"u64", 10, struct.pack("<Q", 1 << 40)),
        kv(b"i64", 11, struct.pack("<q", -(1 << 40))), kv(b"f64", 12, struct.pack("<d", 2.5)),
        kv(b"tokens", 9, struct.pack("<IQ", 8, 3) + s(b"<unk>") + s(b"<s>") + s(b"a")),
        kv(b"nested", 9, struct.pack("<IQ", 9, 2) + struct.pack("<IQ", 5, 1) +
           struct.pack("<i", 3) + struct.pack("<IQ", 0, 2) + b"\x01\x02"),
    ]
    (out / "metadata_only.gguf").write_bytes(gguf(3, scalars, [], b""))
    f32 = struct.pack("<8f", *range(8))
    q8 = struct.pack("<H", 0x3C00) + bytes(range(32))
    q6 = bytes(210)
    data = f32 + b"\0" * 32 + q8 + b"\0" * 30 + q6
    tensors = [tensor(b"f", [8], 0, 0), tensor(b"q8", [32], 8, 64), tensor(b"q6", [256], 14, 128)]
    (out / "tensors_v3.gguf").write_bytes(gguf(3, scalars[:3], tensors, data))
    aligned = [kv(b"general.alignment", 4, struct.pack("<I", 64))]
    tensors64 = [tensor(b"f", [8], 0, 0), tensor(b"h", [4, 2], 1, 64)]
    data64 = f32 + b"\0" * 32 + bytes(16)
    (out / "aligned_v2.gguf").write_bytes(gguf(2, aligned, tensors64, data64, alignment=64))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fuzz/corpus/gguf")
