from unittest import mock

from django.test import RequestFactory, SimpleTestCase, override_settings

from throttle import RateLimit, client_ip, hash_ip


class RateLimitTests(SimpleTestCase):
    def setUp(self):
        from django.core.cache import cache

        cache.clear()

    def test_allows_up_to_the_limit_then_refuses(self):
        limit = RateLimit("test", limit=3, period=600)
        self.assertEqual([limit.hit("ip:1", now=1000) for _ in range(4)], [True, True, True, False])

    def test_keys_are_counted_separately(self):
        limit = RateLimit("test", limit=1, period=600)
        self.assertTrue(limit.hit("ip:1", now=1000))
        self.assertTrue(limit.hit("ip:2", now=1000))
        self.assertFalse(limit.hit("ip:1", now=1000))

    def test_next_window_starts_afresh(self):
        limit = RateLimit("test", limit=1, period=600)
        limit.hit("ip:1", now=1000)
        self.assertTrue(limit.hit("ip:1", now=1000 + 600))

    def test_hit_all_counts_every_key_and_fails_if_any_is_over(self):
        limit = RateLimit("test", limit=1, period=600)
        self.assertTrue(limit.hit_all(["ip:1", "email:a@example.com"], now=1000))
        self.assertFalse(limit.hit_all(["ip:2", "email:a@example.com"], now=1000))

    def test_an_unreachable_cache_lets_the_request_through(self):
        limit = RateLimit("test", limit=1, period=600)
        down = mock.patch("throttle.cache.add", side_effect=ConnectionError("down"))
        with down, self.assertLogs("throttle", "WARNING"):
            self.assertTrue(limit.hit("ip:1"))


class ClientIpTests(SimpleTestCase):
    def test_forwarded_header_is_ignored_without_a_configured_proxy(self):
        request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
        self.assertEqual(client_ip(request), "10.0.0.1")

    @override_settings(NEWSROOM_PROXY_COUNT=1)
    def test_behind_one_proxy_the_last_forwarded_address_is_the_client(self):
        request = RequestFactory().get(
            "/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 1.2.3.4"
        )
        self.assertEqual(client_ip(request), "1.2.3.4")

    def test_ip_hash_is_stable_and_does_not_contain_the_address(self):
        self.assertEqual(hash_ip("1.2.3.4"), hash_ip("1.2.3.4"))
        self.assertNotEqual(hash_ip("1.2.3.4"), hash_ip("1.2.3.5"))
        self.assertNotIn("1.2.3.4", hash_ip("1.2.3.4"))
