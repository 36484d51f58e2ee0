"""MkDocs hooks of gongkai: each event hands its work to the `gongkai` package.

Listed under `hooks:` in mkdocs.yml. MkDocs imports this file once per `mkdocs serve`
session, so all build state lives in a `DisclosureSite` made anew in `on_config`.
"""

from __future__ import annotations

from gongkai.plugin import DisclosureSite

_site: DisclosureSite | None = None


def on_config(config):
    global _site
    _site = DisclosureSite(config)
    _site.read_entries(config)
    return config


def on_files(files, config):
    return _site.add_files(files, config)


def on_nav(nav, config, files):
    return _site.add_category_nav(nav, files)


def on_page_markdown(markdown, page, config, files):
    return _site.page_markdown(markdown, page, files)


def on_page_content(html, page, config, files):
    return _site.page_content(html, page, files)


def on_env(env, config, files):
    return _site.add_template_globals(env)


def on_post_build(config):
    _site.write_statistics(config)
    _site.finish_search_index()


def on_build_error(error):
    if _site is not None:
        _site.abandon_search_index()


def on_serve(server, config, builder):
    server.watch(_site.watch_folder())
    reports = _site.reports_folder()
    if reports:
        server.watch(reports)
    return server
