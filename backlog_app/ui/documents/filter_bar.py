"""The Documents page's search box and filters: kind, provider, tag, case, dates, and the trash."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from backlog_app.domain.documents import DocumentKind, LinkTarget
from backlog_app.services.documents import DocumentFilter
from backlog_app.ui.widgets import OptionalDateEdit

SEARCH_DELAY_MS = 250
ALL_KINDS = "All kinds"
ALL_PROVIDERS = "All providers"
ALL_TAGS = "All tags"
ANY_CASE = "Any case"


class DocumentFilterBar(QWidget):
    """Emits ``changed`` with a new DocumentFilter; typing waits for a pause of 250 ms."""

    changed = Signal(object)  # DocumentFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            "Search titles, notes, tags and the words in your documents…"
        )
        self.search.setAccessibleName("Search documents")
        self.search.setToolTip("Search documents (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(260)
        self.trash = QPushButton("Trash", self)
        self.trash.setCheckable(True)
        self.trash.setAccessibleName("Show the trash")
        self.trash.setToolTip(
            "Show documents in the trash (to restore them or remove them for good)"
        )

        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of document")
        self.kind.addItem(ALL_KINDS, None)
        for kind in DocumentKind:
            self.kind.addItem(kind.label, kind.value)  # plain text: Qt keeps it as a string
        self.kind.setMaxVisibleItems(len(DocumentKind) + 1)
        self.provider = QComboBox(self)
        self.provider.setAccessibleName("Provider")
        self.provider.addItem(ALL_PROVIDERS, None)
        self.provider.setMinimumContentsLength(14)
        self.provider.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag = QComboBox(self)
        self.tag.setAccessibleName("Tag")
        self.tag.addItem(ALL_TAGS, None)
        self.tag.setMinimumContentsLength(10)
        self.tag.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.case = QComboBox(self)
        self.case.setAccessibleName("Coverage case")
        self.case.setToolTip("Only the documents linked to a case or to one of its events")
        self.case.addItem(ANY_CASE, None)
        self.case.setMinimumContentsLength(14)
        self.case.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.case.setVisible(False)  # shown once the profile has a case
        self.date_from = self._date_edit("Dated from")
        self.date_to = self._date_edit("Dated until")
        self.clear = QPushButton("Clear filters", self)
        self.clear.setObjectName("linkButton")
        self.clear.setAccessibleName("Clear the search and filters")
        self.clear.clicked.connect(self.clear_filters)

        self._quiet = False  # several controls change at once: one ``changed`` at the end
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(SEARCH_DELAY_MS)
        self._debounce.timeout.connect(self._emit)

        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.search, 1)
        top.addWidget(self.trash)
        filters = QHBoxLayout()
        filters.setSpacing(6)
        filters.addWidget(self.kind)
        filters.addWidget(self.provider)
        filters.addWidget(self.tag)
        filters.addWidget(self.case)
        filters.addSpacing(6)
        dated = QLabel("Dated", self)
        dated.setBuddy(self.date_from)
        filters.addWidget(dated)
        filters.addWidget(self.date_from)
        dash = QLabel("–", self)
        dash.setAccessibleName("to")
        filters.addWidget(dash)
        filters.addWidget(self.date_to)
        filters.addSpacing(6)
        filters.addWidget(self.clear)
        filters.addStretch(1)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setVerticalSpacing(6)
        layout.addLayout(top, 0, 0)
        layout.addLayout(filters, 1, 0)

        self.search.textChanged.connect(self._debounce.start)
        self.search.returnPressed.connect(self.flush)
        for combo in (self.kind, self.provider, self.tag, self.case):
            combo.currentIndexChanged.connect(self._emit)
        self.date_from.dateChanged.connect(self._emit)
        self.date_to.dateChanged.connect(self._emit)
        self.trash.toggled.connect(self._emit)
        self._update_clear()

    def _date_edit(self, name: str) -> OptionalDateEdit:
        edit = OptionalDateEdit(self)
        edit.setSpecialValueText("Any date")
        edit.setAccessibleName(name)
        edit.setToolTip(f"{name} (Delete clears it)")
        return edit

    # The filter --------------------------------------------------------------------------------

    def document_filter(self) -> DocumentFilter:
        kind = self.kind.currentData()
        provider = self.provider.currentData()
        tag = self.tag.currentData()
        case = self.case.currentData()
        date_from, date_to = self.date_from.date_value(), self.date_to.date_value()
        if date_from is not None and date_to is not None and date_from > date_to:
            date_from, date_to = date_to, date_from
        return DocumentFilter(
            text=self.search.text().strip(),
            kinds=frozenset({DocumentKind(kind)}) if kind else frozenset(),
            provider_id=provider if isinstance(provider, int) else None,
            tag=tag if isinstance(tag, str) else None,
            date_from=date_from,
            date_to=date_to,
            link=(LinkTarget.CASE, case) if isinstance(case, int) else None,
            in_trash=self.trash.isChecked(),
        )

    def has_filters(self) -> bool:
        """True when anything beyond "everything, not in the trash" is asked for."""
        wanted = self.document_filter()
        return wanted != DocumentFilter(in_trash=wanted.in_trash)

    def set_providers(self, providers: list[tuple[int, str]]) -> None:
        """The provider choices, (id, name) in display order; the current choice is kept."""
        self._refill(self.provider, ALL_PROVIDERS, [(name, pid) for pid, name in providers])

    def set_tags(self, tags: list[str]) -> None:
        self._refill(self.tag, ALL_TAGS, [(tag, tag) for tag in tags])

    def set_cases(self, cases: list[tuple[int, str]]) -> None:
        """The case choices, (id, title) in display order; hidden while there is none."""
        self._refill(self.case, ANY_CASE, [(title, case_id) for case_id, title in cases])
        self.case.setVisible(bool(cases))

    def show_case(self, case_id: int | None) -> None:
        """Filter on one case's documents (None: any case); the case must be in the list."""
        index = self.case.findData(case_id) if case_id is not None else 0
        self.case.setCurrentIndex(max(index, 0))

    def clear_filters(self) -> None:
        """Back to every document (the trash toggle stays as it is)."""
        self._quiet = True
        try:
            self.search.clear()
            for combo in (self.kind, self.provider, self.tag, self.case):
                combo.setCurrentIndex(0)
            self.date_from.set_date(None)
            self.date_to.set_date(None)
        finally:
            self._quiet = False
        self.flush()

    def flush(self) -> None:
        """Apply a pending search now (Enter in the search box, or tests)."""
        self._debounce.stop()
        self._emit()

    def stop(self) -> None:
        self._debounce.stop()

    # Helpers -----------------------------------------------------------------------------------

    def _refill(self, combo: QComboBox, everything: str, items: list[tuple[str, object]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(everything, None)
        for text, value in items:
            combo.addItem(text, value)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)
        if current is not None and found < 0:
            self._emit()  # the chosen provider or tag is gone: show everything again

    def _emit(self) -> None:
        if self._quiet:
            return
        self._update_clear()
        self.changed.emit(self.document_filter())

    def _update_clear(self) -> None:
        self.clear.setVisible(self.has_filters())
