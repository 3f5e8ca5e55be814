"""Reference for the tfevents benchmark: reads TFRecord frames and the scalar fields with Python's struct."""
import struct
import sys


def varint(buf, pos):
    shift = value = 0
    while True:
        b = buf[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, pos
        shift += 7


def scan(path):
    count = 0
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos + 12 <= len(data):
        (length,) = struct.unpack_from("<Q", data, pos)
        pos += 12
        event = data[pos : pos + length]
        pos += length + 4
        p = 0
        while p < len(event):
            key, p = varint(event, p)
            wire = key & 7
            if wire == 0:
                _, p = varint(event, p)
            elif wire == 1:
                p += 8
            elif wire == 5:
                p += 4
            else:
                n, p = varint(event, p)
                if key >> 3 == 5:
                    count += 1
                p += n
    return count


if __name__ == "__main__":
    print(scan(sys.argv[1]))
