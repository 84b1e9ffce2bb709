# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'sync_page.ui'
##
##
## WARNING! All changes made in this file will be lost when recompiling UI file!
################################################################################

from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QPushButton, QSizePolicy,
    QSpacerItem, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget)

class Ui_SyncPage(object):
    def setupUi(self, SyncPage):
        if not SyncPage.objectName():
            SyncPage.setObjectName(u"SyncPage")
        SyncPage.resize(1000, 700)
        self.main_layout = QVBoxLayout(SyncPage)
        self.main_layout.setObjectName(u"main_layout")
        self.top_layout = QHBoxLayout()
        self.top_layout.setObjectName(u"top_layout")
        self.title_label = QLabel(SyncPage)
        self.title_label.setObjectName(u"title_label")
        self.title_label.setStyleSheet(u"font-weight: bold;")

        self.top_layout.addWidget(self.title_label)

        self.top_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.top_layout.addItem(self.top_spacer)

        self.sync_now_button = QPushButton(SyncPage)
        self.sync_now_button.setObjectName(u"sync_now_button")

        self.top_layout.addWidget(self.sync_now_button)


        self.main_layout.addLayout(self.top_layout)

        self.status_label = QLabel(SyncPage)
        self.status_label.setObjectName(u"status_label")
        self.status_label.setText(u"")
        self.status_label.setWordWrap(True)

        self.main_layout.addWidget(self.status_label)

        self.notice_label = QLabel(SyncPage)
        self.notice_label.setObjectName(u"notice_label")
        self.notice_label.setText(u"")
        self.notice_label.setStyleSheet(u"color: #8a4b00;")
        self.notice_label.setWordWrap(True)

        self.main_layout.addWidget(self.notice_label)

        self.conflicts_group = QGroupBox(SyncPage)
        self.conflicts_group.setObjectName(u"conflicts_group")
        self.conflicts_layout = QVBoxLayout(self.conflicts_group)
        self.conflicts_layout.setObjectName(u"conflicts_layout")
        self.conflicts_table = QTableWidget(self.conflicts_group)
        self.conflicts_table.setObjectName(u"conflicts_table")
        self.conflicts_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.conflicts_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.conflicts_table.setAlternatingRowColors(True)
        self.conflicts_table.setTabKeyNavigation(False)
        self.conflicts_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.conflicts_layout.addWidget(self.conflicts_table)

        self.diff_label = QLabel(self.conflicts_group)
        self.diff_label.setObjectName(u"diff_label")

        self.conflicts_layout.addWidget(self.diff_label)

        self.diff_table = QTableWidget(self.conflicts_group)
        self.diff_table.setObjectName(u"diff_table")
        self.diff_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.diff_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.diff_table.setAlternatingRowColors(True)
        self.diff_table.setTabKeyNavigation(False)
        self.diff_table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked|QAbstractItemView.EditTrigger.EditKeyPressed|QAbstractItemView.EditTrigger.AnyKeyPressed)

        self.conflicts_layout.addWidget(self.diff_table)

        self.resolve_layout = QHBoxLayout()
        self.resolve_layout.setObjectName(u"resolve_layout")
        self.keep_central_button = QPushButton(self.conflicts_group)
        self.keep_central_button.setObjectName(u"keep_central_button")

        self.resolve_layout.addWidget(self.keep_central_button)

        self.take_window_button = QPushButton(self.conflicts_group)
        self.take_window_button.setObjectName(u"take_window_button")

        self.resolve_layout.addWidget(self.take_window_button)

        self.merged_button = QPushButton(self.conflicts_group)
        self.merged_button.setObjectName(u"merged_button")

        self.resolve_layout.addWidget(self.merged_button)

        self.resolve_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.resolve_layout.addItem(self.resolve_spacer)


        self.conflicts_layout.addLayout(self.resolve_layout)


        self.main_layout.addWidget(self.conflicts_group)

        self.quarantine_group = QGroupBox(SyncPage)
        self.quarantine_group.setObjectName(u"quarantine_group")
        self.quarantine_layout = QVBoxLayout(self.quarantine_group)
        self.quarantine_layout.setObjectName(u"quarantine_layout")
        self.quarantine_table = QTableWidget(self.quarantine_group)
        self.quarantine_table.setObjectName(u"quarantine_table")
        self.quarantine_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.quarantine_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.quarantine_table.setAlternatingRowColors(True)
        self.quarantine_table.setTabKeyNavigation(False)
        self.quarantine_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.quarantine_layout.addWidget(self.quarantine_table)


        self.main_layout.addWidget(self.quarantine_group)

        self.issues_group = QGroupBox(SyncPage)
        self.issues_group.setObjectName(u"issues_group")
        self.issues_layout = QVBoxLayout(self.issues_group)
        self.issues_layout.setObjectName(u"issues_layout")
        self.issues_table = QTableWidget(self.issues_group)
        self.issues_table.setObjectName(u"issues_table")
        self.issues_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.issues_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.issues_table.setAlternatingRowColors(True)
        self.issues_table.setTabKeyNavigation(False)
        self.issues_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.issues_layout.addWidget(self.issues_table)

        self.issue_actions_layout = QHBoxLayout()
        self.issue_actions_layout.setObjectName(u"issue_actions_layout")
        self.acknowledge_button = QPushButton(self.issues_group)
        self.acknowledge_button.setObjectName(u"acknowledge_button")

        self.issue_actions_layout.addWidget(self.acknowledge_button)

        self.issue_actions_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.issue_actions_layout.addItem(self.issue_actions_spacer)


        self.issues_layout.addLayout(self.issue_actions_layout)


        self.main_layout.addWidget(self.issues_group)

        QWidget.setTabOrder(self.conflicts_table, self.diff_table)
        QWidget.setTabOrder(self.diff_table, self.keep_central_button)
        QWidget.setTabOrder(self.keep_central_button, self.take_window_button)
        QWidget.setTabOrder(self.take_window_button, self.merged_button)
        QWidget.setTabOrder(self.merged_button, self.quarantine_table)
        QWidget.setTabOrder(self.quarantine_table, self.issues_table)
        QWidget.setTabOrder(self.issues_table, self.acknowledge_button)
        QWidget.setTabOrder(self.acknowledge_button, self.sync_now_button)

        self.retranslateUi(SyncPage)
    # setupUi

    def retranslateUi(self, SyncPage):
        self.title_label.setText(QCoreApplication.translate("SyncPage", u"Sync with the central database", None))
        self.sync_now_button.setText(QCoreApplication.translate("SyncPage", u"Sync now (F5)", None))
        self.conflicts_group.setTitle(QCoreApplication.translate("SyncPage", u"Conflicts: two windows edited the same record", None))
        self.diff_label.setText(QCoreApplication.translate("SyncPage", u"Differences \u2014 the merged column can be edited (F2)", None))
        self.keep_central_button.setText(QCoreApplication.translate("SyncPage", u"Keep the centre's version (Alt+C)", None))
        self.take_window_button.setText(QCoreApplication.translate("SyncPage", u"Take the window's version (Alt+W)", None))
        self.merged_button.setText(QCoreApplication.translate("SyncPage", u"Save the merged record (Alt+M)", None))
        self.quarantine_group.setTitle(QCoreApplication.translate("SyncPage", u"Rejected changes (quarantine)", None))
        self.issues_group.setTitle(QCoreApplication.translate("SyncPage", u"Open sync issues of this window", None))
        self.acknowledge_button.setText(QCoreApplication.translate("SyncPage", u"Mark as dealt with (Alt+A)", None))
#if QT_CONFIG(tooltip)
        self.acknowledge_button.setToolTip(QCoreApplication.translate("SyncPage", u"Acknowledge the selected sync issue with a note on what was done", None))
#endif // QT_CONFIG(tooltip)
        pass
    # retranslateUi

