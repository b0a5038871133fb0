"""A loopback SMTP server for the e2e run (aiosmtpd): each message it receives becomes a JSON file.

Usage: smtp_sink.py PORT FOLDER PARENT_PID. Each file holds the envelope recipients and the parsed
From, To, Subject and text body, so a spec can read them with Node's fs. It exits when the parent
(the e2e server) is gone, so a Playwright run leaves nothing behind.
"""

from __future__ import annotations

import json
import os
import sys
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from itertools import count
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.numbers = count(1)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        part = parsed.get_body(preferencelist=("plain", "html"))
        record = {
            "rcpt_tos": list(envelope.rcpt_tos),
            "from": str(parsed["From"]),
            "to": str(parsed["To"]),
            "subject": str(parsed["Subject"]),
            "body": part.get_content() if part is not None else "",
            "received_at": time.time(),
        }
        name = f"{time.time_ns()}-{next(self.numbers):05d}.json"
        scratch = self.folder / f".{name}"
        scratch.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        scratch.rename(self.folder / name)  # a reader never sees half a file
        return "250 OK"


def main() -> None:
    port, folder, parent = int(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(FolderHandler(folder), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp sink on 127.0.0.1:{port} writing to {folder}", flush=True)
    try:
        while True:
            time.sleep(1)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                break
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
