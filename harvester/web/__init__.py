"""The one seam for outbound HTTP to every service that is not GitHub (arXiv, Hugging Face,
project pages, full texts). Only this package and ``github/graphql.py`` import httpx (and
httpcore).

For every GET, ``PoliteClient`` (``client``):

* leaves at least ``min_interval`` seconds between the end of one request and the start of the
  next *to the same host*, over at most ``connections`` connections (arXiv asks for 3 s and one
  connection at a time);
* retries what is worth retrying -- transport errors (timeouts, refused or reset connections)
  and HTTP 429/500/502/503/504 -- up to ``retries`` times, waiting what ``retry-after`` asks
  (seconds or an HTTP date) or else a jittered exponential backoff: ``backoff * 2**n`` capped at
  ``max_backoff``, the actual wait drawn from its upper half so retries spread out but never
  hammer; it does not wait longer than ``max_wait`` for a ``retry-after``: a SourceError says so;
* follows at most ``max_redirects`` redirects, each spaced like any request, and only to http(s);
* reads the body streamed and refuses one larger than ``max_bytes`` (decoded), so a huge or
  endless answer costs at most that much memory;
* names the tool, its version and the user's contact (``HARVESTER_CONTACT`` or ``contact=``) in
  ``User-Agent``, and honours ``HTTPS_PROXY``/``HTTP_PROXY``/``NO_PROXY``/``SSL_CERT_FILE``;
* sends ``get``'s ``headers`` (when given: ``If-None-Match`` for a conditional refetch) with the
  request and every redirect hop; a ``304`` comes back as a ``Page`` like any other answer;
* asks ``check_url`` (when given) about every URL before it is requested, redirects included:
  the place for robots.txt and private-address refusals of project-page fetching; and
  ``get``'s ``accept`` (when given) about a final answer's headers before its body is read;
* with a ``pin`` (``pin``), connects directly only to addresses the pin resolved and allowed,
  at connection time, so a name cannot pass the check with one address and be connected to at
  another (DNS rebinding); proxied URLs are resolved by the proxy;
* raises these refusals as ``Refused`` (a SourceError) whose ``reason`` says which: ``refused``
  (check_url, or the pin; its answer is the ``detail``), ``not_accepted`` (accept),
  ``too_large``, ``redirect_loop``, ``bad_redirect``;
* returns every other answer (2xx, 304, other 4xx) as a ``Page``, which the caller reads in its
  service's own terms, turning a refusal into a one-line SourceError.
  ``Refused`` is final: it is never retried.

Time, and today's date, come from a ``Clock`` (``clock``). ``SYSTEM_CLOCK`` is looked up here
when a client or source is built, so tests swap in a fake one
(``monkeypatch.setattr(web, "SYSTEM_CLOCK", fake)``) and never really sleep nor depend on the
day they run. Tests hand ``transport=`` an ``httpx.MockTransport`` or run a real server on
127.0.0.1.
"""

from harvester.web.client import PoliteClient
from harvester.web.clock import SYSTEM_CLOCK, Clock
from harvester.web.model import (
    REDIRECT_STATUSES,
    RETRY_STATUSES,
    HeaderCheck,
    Page,
    Policy,
    Refused,
    UrlCheck,
    WaitHook,
    user_agent,
)
from harvester.web.pin import AddressPin, PinRefused

__all__ = [
    "REDIRECT_STATUSES",
    "RETRY_STATUSES",
    "SYSTEM_CLOCK",
    "AddressPin",
    "Clock",
    "HeaderCheck",
    "Page",
    "PinRefused",
    "Policy",
    "PoliteClient",
    "Refused",
    "UrlCheck",
    "WaitHook",
    "user_agent",
]
