"""Two builds of one edition never write into each other: the second waits for the first, and says
so once, naming the lock (build_scripts/publish/outputs.py, Store.lock)."""

from __future__ import annotations

import threading

from filelock import FileLock

from build_scripts.publish import outputs


def test_a_second_build_waits_and_says_so(tmp_path, capsys):
    store = outputs.Store(tmp_path / "build" / "out")
    first = FileLock(str(tmp_path / "build" / "out.lock"))
    (tmp_path / "build").mkdir()
    first.acquire()
    entered = threading.Event()

    def second():
        with store.lock():
            entered.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not entered.wait(0.5)  # held by the first build
    first.release()
    thread.join(5)
    assert entered.is_set()
    err = capsys.readouterr().err
    assert err.count("waiting for another build") == 1 and "out.lock" in err


def test_a_build_alone_says_nothing(tmp_path, capsys):
    with outputs.Store(tmp_path / "out").lock():
        pass
    assert capsys.readouterr().err == ""
