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
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QCheckBox, QComboBox,
    QHBoxLayout, QHeaderView, QLabel, QPushButton,
    QSizePolicy, QSpacerItem, QTableView, QVBoxLayout,
    QWidget)

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

        self.filter_layout = QHBoxLayout()
        self.filter_layout.setObjectName(u"filter_layout")
        self.window_filter_label = QLabel(TodayPage)
        self.window_filter_label.setObjectName(u"window_filter_label")

        self.filter_layout.addWidget(self.window_filter_label)

        self.window_filter = QComboBox(TodayPage)
        self.window_filter.setObjectName(u"window_filter")

        self.filter_layout.addWidget(self.window_filter)

        self.kind_filter_label = QLabel(TodayPage)
        self.kind_filter_label.setObjectName(u"kind_filter_label")

        self.filter_layout.addWidget(self.kind_filter_label)

        self.kind_filter = QComboBox(TodayPage)
        self.kind_filter.setObjectName(u"kind_filter")
        self.kind_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.kind_filter.setMinimumContentsLength(16)

        self.filter_layout.addWidget(self.kind_filter)

        self.state_filter_label = QLabel(TodayPage)
        self.state_filter_label.setObjectName(u"state_filter_label")

        self.filter_layout.addWidget(self.state_filter_label)

        self.state_filter = QComboBox(TodayPage)
        self.state_filter.setObjectName(u"state_filter")

        self.filter_layout.addWidget(self.state_filter)

        self.repeat_filter = QCheckBox(TodayPage)
        self.repeat_filter.setObjectName(u"repeat_filter")

        self.filter_layout.addWidget(self.repeat_filter)

        self.filter_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.filter_layout.addItem(self.filter_spacer)


        self.main_layout.addLayout(self.filter_layout)

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

#if QT_CONFIG(shortcut)
        self.window_filter_label.setBuddy(self.window_filter)
        self.kind_filter_label.setBuddy(self.kind_filter)
        self.state_filter_label.setBuddy(self.state_filter)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(TodayPage)
    # setupUi

    def retranslateUi(self, TodayPage):
        self.title_label.setText(QCoreApplication.translate("TodayPage", u"Today's visits", None))
        self.refresh_button.setText(QCoreApplication.translate("TodayPage", u"&Refresh", None))
        self.window_filter_label.setText(QCoreApplication.translate("TodayPage", u"&Window", None))
        self.kind_filter_label.setText(QCoreApplication.translate("TodayPage", u"&Kind", None))
        self.state_filter_label.setText(QCoreApplication.translate("TodayPage", u"S&tatus", None))
        self.repeat_filter.setText(QCoreApplication.translate("TodayPage", u"Re&peat visits only", None))
        self.hint_label.setText(QCoreApplication.translate("TodayPage", u"Enter on a row shows the visit. Newest first; Alt+W, Alt+K, Alt+T and Alt+P filter.", None))
        pass
    # retranslateUi

