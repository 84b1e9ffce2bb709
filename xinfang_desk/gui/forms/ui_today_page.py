# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'today_page.ui'
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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QHBoxLayout, QHeaderView,
    QLabel, QPushButton, QSizePolicy, QSpacerItem,
    QTableView, QVBoxLayout, QWidget)

class Ui_TodayPage(object):
    def setupUi(self, TodayPage):
        if not TodayPage.objectName():
            TodayPage.setObjectName(u"TodayPage")
        TodayPage.resize(900, 600)
        self.main_layout = QVBoxLayout(TodayPage)
        self.main_layout.setObjectName(u"main_layout")
        self.top_layout = QHBoxLayout()
        self.top_layout.setObjectName(u"top_layout")
        self.title_label = QLabel(TodayPage)
        self.title_label.setObjectName(u"title_label")
        self.title_label.setStyleSheet(u"font-weight: bold;")

        self.top_layout.addWidget(self.title_label)

        self.count_label = QLabel(TodayPage)
        self.count_label.setObjectName(u"count_label")
        self.count_label.setText(u"")

        self.top_layout.addWidget(self.count_label)

        self.top_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.top_layout.addItem(self.top_spacer)

        self.refresh_button = QPushButton(TodayPage)
        self.refresh_button.setObjectName(u"refresh_button")

        self.top_layout.addWidget(self.refresh_button)


        self.main_layout.addLayout(self.top_layout)

        self.visits_table = QTableView(TodayPage)
        self.visits_table.setObjectName(u"visits_table")
        self.visits_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.visits_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.visits_table.setAlternatingRowColors(True)
        self.visits_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)

        self.main_layout.addWidget(self.visits_table)

        self.hint_label = QLabel(TodayPage)
        self.hint_label.setObjectName(u"hint_label")

        self.main_layout.addWidget(self.hint_label)


        self.retranslateUi(TodayPage)
    # setupUi

    def retranslateUi(self, TodayPage):
        self.title_label.setText(QCoreApplication.translate("TodayPage", u"Today's visits", None))
        self.refresh_button.setText(QCoreApplication.translate("TodayPage", u"&Refresh", None))
        self.hint_label.setText(QCoreApplication.translate("TodayPage", u"Enter on a row shows the visit.", None))
        pass
    # retranslateUi

