"""Run the emulator standalone: ``python tests/emulator --port 8081 --token 1:abc`` (manual tries, benchmarks)."""

from __future__ import annotations

import contextlib
import sys
import threading
from pathlib import Path

if __package__ in (None, ""):  # run as `python tests/emulator`: import the package from its parent folder
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator import BotApiEmulator
from emulator import __doc__ as package_doc


def main() -> None:
    """Run the emulator standalone until Ctrl+C (for manual tries and benchmarks)."""
    import argparse

    parser = argparse.ArgumentParser(description=package_doc.splitlines()[0])
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="1000000001:AAH-emulator_fake_0123456789abcdefgh")
    parser.add_argument("--lenient-chats", action="store_true", help="accept sends to chats never seen")
    args = parser.parse_args()
    with BotApiEmulator(args.token, port=args.port, require_known_chat=not args.lenient_chats) as emu:
        print(f"base_url={emu.base_url} base_file_url={emu.base_file_url}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
