"""One logging pipeline for the app and every library logger, with redaction inside it.

structlog events and stdlib records (uvicorn, httpx2, mcp, authlib) are all rendered by one
`structlog.stdlib.ProcessorFormatter`. Its last steps render exceptions to text (no locals) and
then redact, so nothing reaches the output stream unredacted, whatever produced it.
"""

from __future__ import annotations

import logging
import logging.config
import re
import sys
from typing import Any, Literal, TextIO

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

from app.observability.log_dedup import RepeatedLineFilter
from app.observability.redaction import Redactor

LogFormat = Literal["auto", "json", "console"]

#: The process-wide redactor; `configure_logging` seeds it with the configured secrets.
REDACTOR = Redactor()

_LIBRARY_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "httpx2", "httpcore", "httpcore2",
                    "mcp", "authlib", "sse_starlette", "starlette")


def _redact(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    return REDACTOR.event(event_dict)


# An absolute URL's query string; the path before it is kept.
_URL_QUERY = re.compile(r"(\bhttps?://[^\s?#\"'<>]*)\?[^\s#\"'<>]*")


def _drop_url_queries(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    # Libraries log request URLs (httpx2 at INFO); their queries may carry identifiers.
    return {key: _URL_QUERY.sub(r"\1", value)
            if isinstance(value, str) and "?" in value and "://" in value else value
            for key, value in event_dict.items()}


def _drop_color_message(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    # uvicorn duplicates its message with ANSI codes as an "extra"; it is noise in JSON.
    event_dict.pop("color_message", None)
    return event_dict


class _AccessLogWithoutQuery(logging.Filter):
    """Strip query strings from uvicorn access lines: gateways put per-session config there."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            record.args = (args[0], args[1], args[2].split("?", 1)[0], args[3], args[4])
        return True


def _renderer(log_format: LogFormat, stream: TextIO) -> Processor:
    if log_format == "auto":
        log_format = "console" if stream.isatty() else "json"
    if log_format == "console":
        return structlog.dev.ConsoleRenderer(
            colors=stream.isatty(), exception_formatter=structlog.dev.plain_traceback
        )
    return structlog.processors.JSONRenderer()


def configure_logging(
    level: str = "INFO",
    log_format: LogFormat = "auto",
    secrets: list[str] | None = None,
    stream: TextIO | None = None,
) -> None:
    """Route structlog and all stdlib logging through one redacting formatter on `stream`.

    Call it after creating the `MCPServer` (which installs a root handler of its own).
    """
    stream = stream or sys.stderr
    REDACTOR.add_secrets(secrets or [])
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    formatter: dict[str, Any] = {
        "()": structlog.stdlib.ProcessorFormatter,
        "foreign_pre_chain": [*shared, structlog.stdlib.ExtraAdder(), _drop_color_message],
        "processors": [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            _drop_url_queries,
            _redact,
            _renderer(log_format, stream),
        ],
    }
    logging.config.dictConfig({
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "filters": {"no_query": {"()": _AccessLogWithoutQuery},
                    "once_per_interval": {"()": RepeatedLineFilter}},
        "handlers": {"main": {"class": "logging.StreamHandler", "formatter": "main",
                              "stream": stream, "filters": ["once_per_interval"]}},
        "root": {"handlers": ["main"], "level": level},
        "loggers": {
            **{name: {"handlers": [], "propagate": True, "level": level}
               for name in _LIBRARY_LOGGERS},
            "uvicorn.access": {"handlers": [], "propagate": True, "level": level,
                               "filters": ["no_query"]},
            # Its only INFO line, "Terminating session: None" after every stateless request,
            # carries nothing; it is kept at DEBUG.
            "mcp.server.streamable_http": {"handlers": [], "propagate": True,
                                           "level": level if level == "DEBUG" else
                                           max(level, "WARNING", key=logging.getLevelName)},
        },
    })
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        cache_logger_on_first_use=False,
    )
