"""The pages of the main window, as a registry: adding a page is adding one entry.

Each page is a module with a widget class taking the main window. ``available``
decides from the session's permissions whether the page appears at all: a feature
is in the navigation only when it works for this user. Sharing and reports join by
adding a ``Page`` here (for example ``Page("share", share_title, "tipintake.ui.share_view",
"SharePage", lambda s: s.can(Permission.SHARE))``).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tipintake.i18n import _
from tipintake.store.roles import Permission
from tipintake.ui.share_tasks import page_available as share_available

if TYPE_CHECKING:
    from tipintake.store.session import Session
    from tipintake.ui.main_window import MainWindow
    from tipintake.ui.qt import QWidget


@dataclass(frozen=True)
class Page:
    """One entry of the navigation."""

    key: str
    title: Callable[[], str]  # called on every language change
    module: str
    widget: str
    available: Callable[[Session], bool] = lambda session: True
    background: bool = False  # built soon after sign-in: it works unseen (sharing's automatic attempt)

    def build(self, main: MainWindow) -> QWidget:
        """The page's widget (its module is imported only now: faster start-up)."""
        cls = getattr(importlib.import_module(self.module), self.widget)
        return cls(main)


PAGES: list[Page] = [
    Page("cases", lambda: _("&Cases"), "tipintake.ui.cases_view", "CasesPage"),
    Page("drafts", lambda: _("&Drafts"), "tipintake.ui.drafts_view", "DraftsPage",
         lambda s: s.can(Permission.CREATE) or s.can(Permission.EDIT)),
    Page("users", lambda: _("&Users"), "tipintake.ui.users_view", "UsersPage",
         lambda s: s.can(Permission.MANAGE_USERS)),
    Page("dashboard", lambda: _("Das&hboard"), "tipintake.ui.reports.dashboard_page", "DashboardPage"),
    Page("quality", lambda: _("Data &quality"), "tipintake.ui.reports.quality_page", "QualityPage"),
    Page("share", lambda: _("&Share"), "tipintake.ui.share_view", "SharePage", share_available, background=True),
]
