#!/usr/bin/env python3
"""A simulated trainer for the soak test: appends CSV, JSONL and TensorBoard event records in pieces.

    soak_trainer.py DIR SECONDS RUNS TRUTH_CSV

Each run folder DIR/run_K gets metrics.csv (loss), metrics.jsonl (acc) and an event file (val_loss). Every
record is written in one to three pieces with a flush and a pause between them, so a reader polling the
files sees half-written lines and half-written event records. Values carry all 17 significant digits, so a
half-read number ("5.123" of "5.123456789...") cannot pass for the real one. When the time is up, every
point written is listed in TRUTH_CSV as run,tag,step,value (event values rounded to float32, as stored).
"""
import json
import os
import random
import struct
import sys
import time

_CRC_TABLE = []
for _n in range(256):
    _c = _n
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = _CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data):
    # TFRecord framing: the CRC rotated right by 15 bits plus a constant.
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def event_bytes(wall_time, step=None, tag=None, value=None, file_version=None):
    body = b"\x09" + struct.pack("<d", wall_time)
    if step is not None:
        body += b"\x10" + varint(step)
    if file_version is not None:
        data = file_version.encode()
        body += b"\x1a" + varint(len(data)) + data
    if tag is not None:
        name = tag.encode()
        summary_value = b"\x0a" + varint(len(name)) + name + b"\x15" + struct.pack("<f", value)
        summary = b"\x0a" + varint(len(summary_value)) + summary_value
        body += b"\x2a" + varint(len(summary)) + summary
    return body


def record(data):
    length = struct.pack("<Q", len(data))
    return length + struct.pack("<I", masked_crc(length)) + data + struct.pack("<I", masked_crc(data))


def write_in_pieces(handle, data, rng):
    cuts = sorted(rng.sample(range(1, len(data)), min(rng.randint(0, 2), len(data) - 1)))
    start = 0
    for cut in cuts + [len(data)]:
        handle.write(data[start:cut])
        handle.flush()
        start = cut
        if cut != len(data):
            time.sleep(rng.uniform(0.0, 0.05))


def main():
    root, seconds, runs, truth_path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    rng = random.Random(20261203)
    files = []
    for k in range(runs):
        folder = os.path.join(root, "run_%d" % k)
        os.makedirs(folder, exist_ok=True)
        csv = open(os.path.join(folder, "metrics.csv"), "wb")
        jsonl = open(os.path.join(folder, "metrics.jsonl"), "wb")
        events = open(os.path.join(folder, "events.out.tfevents.1700000000.soak"), "wb")
        write_in_pieces(csv, b"step,wall_time,loss\n", rng)
        write_in_pieces(events, record(event_bytes(1700000000.0, file_version="brain.Event:2")), rng)
        files.append(("run_%d" % k, csv, jsonl, events))
    truth = []
    deadline = time.time() + seconds
    step = 0
    while time.time() < deadline:
        for name, csv, jsonl, events in files:
            wall = 1700000000.0 + step * 0.25
            loss = rng.uniform(0.001, 10.0)
            acc = rng.random()
            val = struct.unpack("<f", struct.pack("<f", rng.uniform(0.0, 5.0)))[0]
            write_in_pieces(csv, ("%d,%r,%r\n" % (step, wall, loss)).encode(), rng)
            write_in_pieces(jsonl, (json.dumps({"step": step, "acc": acc}) + "\n").encode(), rng)
            write_in_pieces(events, record(event_bytes(wall, step=step, tag="val_loss", value=val)), rng)
            truth += [(name, "loss", step, loss), (name, "acc", step, acc), (name, "val_loss", step, val)]
        step += 1
    for _, csv, jsonl, events in files:
        csv.close()
        jsonl.close()
        events.close()
    with open(truth_path, "w") as out:
        out.write("run,tag,step,value\n")
        for name, tag, s, v in truth:
            out.write("%s,%s,%d,%r\n" % (name, tag, s, v))
    print("soak_trainer: %d steps x %d runs x 3 series written" % (step, runs))


if __name__ == "__main__":
    main()
