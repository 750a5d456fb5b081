"""Bridge between a blocking MQTT client thread and an asyncio app."""
import asyncio
import logging
import queue as queue_mod
import threading

log = logging.getLogger(__name__)


class MqttBridge:
    def __init__(self, loop: asyncio.AbstractEventLoop, handler):
        self.loop = loop
        self.handler = handler
        self._inbox: "queue_mod.Queue[tuple[str, bytes]]" = queue_mod.Queue()
        self._thread = threading.Thread(target=self._pump, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _pump(self) -> None:
        while True:
            topic, payload = self._inbox.get()
            if topic == "__stop__":
                break
            asyncio.run_coroutine_threadsafe(self.handler(topic, payload), self.loop)  # expect: LSC101

    def on_message(self, client, userdata, msg) -> None:
        # Called from paho's network thread.
        self._inbox.put((msg.topic, msg.payload))

    def on_disconnect(self, client, userdata, rc) -> None:
        log.warning("mqtt disconnected rc=%s", rc)
        asyncio.run_coroutine_threadsafe(  # expect: LSC101
            self.handler("$sys/disconnect", b""), self.loop
        ).add_done_callback(lambda f: log.info("disconnect handled"))

    def request_sync(self, topic: str) -> bytes | None:
        fut = asyncio.run_coroutine_threadsafe(self.handler(topic, b"?"), self.loop)
        try:
            return fut.result(timeout=5)
        except TimeoutError:
            fut.cancel()
            return None

    def on_connect(self, client, userdata, flags, rc) -> None:
        self.loop.call_soon_threadsafe(
            lambda: self.loop.create_task(self.handler("$sys/connect", b""))  # expect: LSC101
        )

    def stop(self) -> None:
        self._inbox.put(("__stop__", b""))
        self._thread.join(timeout=2)
