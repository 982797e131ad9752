"""Reports in the app: the dashboard and data-quality pages, exports, the referral PDF.

Figures are computed by ``tipintake.reports`` (plain data) in the thread pool; these
widgets only draw them. Qt names come from ``ui.qt`` and, for charts and PDF printing
(QtGui's QPdfWriter) from ``ui.reports.qt_extra`` and ``ui.reports.qt_charts``
(PySide6-Addons' QtCharts, only the dashboard needs it).
"""
