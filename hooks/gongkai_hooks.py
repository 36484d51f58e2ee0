"""MkDocs hooks of gongkai: this repository's site names this file under `hooks:`.

The events are those of `gongkai.plugin.GongkaiPlugin`, which another site names as a plugin
(`plugins: [gongkai]`) instead. MkDocs imports this file once per `mkdocs serve` session; the
plugin makes its build state anew in each `on_config`.
"""

from __future__ import annotations

from gongkai.plugin import GongkaiPlugin

_plugin = GongkaiPlugin()

on_startup = _plugin.on_startup
on_config = _plugin.on_config
on_pre_build = _plugin.on_pre_build
on_files = _plugin.on_files
on_nav = _plugin.on_nav
on_page_markdown = _plugin.on_page_markdown
on_page_content = _plugin.on_page_content
on_env = _plugin.on_env
on_template_context = _plugin.on_template_context
on_post_build = _plugin.on_post_build
on_build_error = _plugin.on_build_error
on_serve = _plugin.on_serve
