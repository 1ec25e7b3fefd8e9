"""A DNS server that counts queries: each query's name is appended to LOGFILE, one per line,
and answered NXDOMAIN at once. Tests copy it into a container to see whether a program
sent any name to DNS. Usage: python3 dns_counter.py ADDRESS PORT LOGFILE

LOGFILE exists (empty) once the socket is bound, so a test can wait for it.
"""

import socket
import sys


def question_end(packet):
    """Offset just past the first question (name, type, class), or None if malformed."""
    offset = 12
    while offset < len(packet):
        length = packet[offset]
        if length == 0:
            return offset + 5 if offset + 5 <= len(packet) else None
        if length & 0xC0:  # compression pointers do not occur in questions
            return None
        offset += 1 + length
    return None


def name_of(packet, end):
    labels, offset = [], 12
    while offset < end - 5:
        length = packet[offset]
        labels.append(packet[offset + 1:offset + 1 + length].decode("ascii", "replace"))
        offset += 1 + length
    return ".".join(labels) + "."


def main():
    address, port, log_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((address, port))
    open(log_path, "w").close()
    while True:
        packet, peer = sock.recvfrom(4096)
        end = question_end(packet) if len(packet) >= 12 else None
        with open(log_path, "a") as log:
            log.write((name_of(packet, end) if end else "<malformed>") + "\n")
        if end is None:
            continue
        # Same id; QR set, opcode and RD copied; RA set, RCODE 3 (NXDOMAIN); the question only.
        flags = bytes([0x80 | (packet[2] & 0x79), 0x83])
        counts = b"\x00\x01\x00\x00\x00\x00\x00\x00"
        sock.sendto(packet[:2] + flags + counts + packet[12:end], peer)


if __name__ == "__main__":
    main()
