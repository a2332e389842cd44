"""The store on Redis, for several machines behind a load balancer: the same promises as the
SQLite backend, with a write and its eviction made atomic by a Lua script run on the server.

Every name carries the hash tag `{claims-dashboard}`, so that in a Redis Cluster they share one
slot and one script may touch them all. The server should not evict keys by itself
(`maxmemory-policy noeviction`): the bounds here are what keep it in size.
"""

from __future__ import annotations

import os

import redis

from dashboard.store.base import Bounds, Stats, StoreError, StoreUnwritable

PREFIX = "{claims-dashboard}:"
ORDER, SIZES, HELD, SEQUENCE, SECRET = (f"{PREFIX}{name}" for name in
                                        ("order", "sizes", "bytes", "sequence", "secret"))

# KEYS: order (sorted set key -> sequence), sizes (hash key -> bytes), held (total bytes),
# sequence (counter). ARGV: entry prefix, key, entry, articles bound, bytes bound.
_PUT = """
local order, sizes, held_key = KEYS[1], KEYS[2], KEYS[3]
local prefix, key, entry = ARGV[1], ARGV[2], ARGV[3]
local max_articles, max_bytes = tonumber(ARGV[4]), tonumber(ARGV[5])
local old = redis.call('HGET', sizes, key)
if old then redis.call('DECRBY', held_key, old) end
redis.call('SET', prefix .. key, entry)
redis.call('ZADD', order, redis.call('INCR', KEYS[4]), key)
redis.call('HSET', sizes, key, string.len(entry))
local held = redis.call('INCRBY', held_key, string.len(entry))
local count = redis.call('ZCARD', order)
while count > max_articles or held > max_bytes do
  local oldest = redis.call('ZRANGE', order, 0, 0)[1]
  if oldest == nil or oldest == key then break end
  held = redis.call('DECRBY', held_key, tonumber(redis.call('HGET', sizes, oldest) or '0'))
  redis.call('DEL', prefix .. oldest)
  redis.call('ZREM', order, oldest)
  redis.call('HDEL', sizes, oldest)
  count = count - 1
end
return count
"""
# KEYS: order, sizes, held. ARGV: entry prefix, key, the entry expected there.
_DISCARD = """
local name = ARGV[1] .. ARGV[2]
if redis.call('GET', name) ~= ARGV[3] then return 0 end
redis.call('DEL', name)
redis.call('ZREM', KEYS[1], ARGV[2])
local size = redis.call('HGET', KEYS[2], ARGV[2])
if size then
  redis.call('DECRBY', KEYS[3], size)
  redis.call('HDEL', KEYS[2], ARGV[2])
end
return 1
"""
ENTRY = f"{PREFIX}entry:"


class RedisBackend:
    def __init__(self, url: str) -> None:
        self.url = url
        # Safe to share between threads; redis-py opens new connections after a fork.
        try:
            self.client = redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=5,
                                               health_check_interval=30)
        except (ValueError, redis.RedisError) as err:
            raise StoreError(f"CLAIMS_DASHBOARD_STORE_URL is not a Redis URL redis-py reads: "
                             f"{err}", "the upload store is misconfigured") from err
        self._put = self.client.register_script(_PUT)
        self._discard = self.client.register_script(_DISCARD)

    def _where(self) -> str:
        # The URL without any password in it, for the log.
        pool = self.client.connection_pool.connection_kwargs
        return f"redis {pool.get('host', pool.get('path', '?'))}:{pool.get('port', '')}" \
               f"/{pool.get('db', 0)}"

    def put(self, key: str, entry: bytes, bounds: Bounds) -> None:
        try:
            self._put(keys=[ORDER, SIZES, HELD, SEQUENCE],
                      args=[ENTRY, key, entry, bounds.articles, bounds.bytes])
        except redis.RedisError as err:
            reason = ("the upload store's memory is full" if "OOM" in str(err)
                      else "the upload store cannot be reached or written")
            raise StoreUnwritable(f"the upload store ({self._where()}) cannot be written: {err}",
                                  reason) from err

    def get(self, key: str) -> bytes | None:
        try:
            return self.client.get(ENTRY + key)
        except redis.RedisError as err:
            raise StoreError(f"the upload store ({self._where()}) cannot be read: {err}",
                             "the upload store cannot be reached") from err

    def holds(self, key: str) -> bool:
        try:
            return bool(self.client.exists(ENTRY + key))
        except redis.RedisError as err:
            raise StoreError(f"the upload store ({self._where()}) cannot be read: {err}",
                             "the upload store cannot be reached") from err

    def discard(self, key: str, entry: bytes) -> None:
        try:
            self._discard(keys=[ORDER, SIZES, HELD], args=[ENTRY, key, entry])
        except redis.RedisError as err:
            raise StoreUnwritable(f"the upload store ({self._where()}) cannot be written: {err}",
                                  "the upload store cannot be reached or written") from err

    def secret(self) -> bytes:
        try:
            # SET NX: the first process to get here writes it; every other keeps the one written.
            self.client.set(SECRET, os.urandom(32), nx=True)
            return self.client.get(SECRET)
        except redis.RedisError as err:
            raise StoreUnwritable(f"the upload store ({self._where()}) cannot be reached: {err}",
                                  "the upload store cannot be reached") from err

    def stats(self) -> Stats:
        try:
            articles, held = self.client.pipeline().zcard(ORDER).get(HELD).execute()
        except redis.RedisError as err:
            raise StoreError(f"the upload store ({self._where()}) cannot be read: {err}",
                             "the upload store cannot be reached") from err
        return Stats(articles=int(articles), bytes=int(held or 0))

    def close(self) -> None:
        self.client.close()
