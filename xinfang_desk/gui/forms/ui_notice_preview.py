# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'notice_preview.ui'
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
from PySide6.QtWidgets import (QApplication, QDialog, QHBoxLayout, QLabel,
    QPushButton, QScrollArea, QSizePolicy, QVBoxLayout,
    QWidget)

class Ui_NoticePreviewDialog(object):
    def setupUi(self, NoticePreviewDialog):
        if not NoticePreviewDialog.objectName():
            NoticePreviewDialog.setObjectName(u"NoticePreviewDialog")
        NoticePreviewDialog.resize(900, 860)
        self.main_layout = QVBoxLayout(NoticePreviewDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.title_label = QLabel(NoticePreviewDialog)
        self.title_label.setObjectName(u"title_label")
        self.title_label.setWordWrap(True)
        self.title_label.setText(u"")

        self.main_layout.addWidget(self.title_label)

        self.pages_scroll = QScrollArea(NoticePreviewDialog)
        self.pages_scroll.setObjectName(u"pages_scroll")
        self.pages_scroll.setWidgetResizable(True)
        self.pages_scroll.setStyleSheet(u"QScrollArea { background: #8c8c8c; }")
        self.pages_widget = QWidget()
        self.pages_widget.setObjectName(u"pages_widget")
        self.pages_layout = QVBoxLayout(self.pages_widget)
        self.pages_layout.setSpacing(16)
        self.pages_layout.setObjectName(u"pages_layout")
        self.pages_scroll.setWidget(self.pages_widget)

        self.main_layout.addWidget(self.pages_scroll)

        self.buttons_layout = QHBoxLayout()
        self.buttons_layout.setObjectName(u"buttons_layout")
        self.status_label = QLabel(NoticePreviewDialog)
        self.status_label.setObjectName(u"status_label")
        self.status_label.setWordWrap(True)
        self.status_label.setText(u"")

        self.buttons_layout.addWidget(self.status_label)

        self.print_button = QPushButton(NoticePreviewDialog)
        self.print_button.setObjectName(u"print_button")

        self.buttons_layout.addWidget(self.print_button)

        self.save_pdf_button = QPushButton(NoticePreviewDialog)
        self.save_pdf_button.setObjectName(u"save_pdf_button")

        self.buttons_layout.addWidget(self.save_pdf_button)

        self.close_button = QPushButton(NoticePreviewDialog)
        self.close_button.setObjectName(u"close_button")

        self.buttons_layout.addWidget(self.close_button)


        self.main_layout.addLayout(self.buttons_layout)

        QWidget.setTabOrder(self.print_button, self.save_pdf_button)
        QWidget.setTabOrder(self.save_pdf_button, self.close_button)
        QWidget.setTabOrder(self.close_button, self.pages_scroll)

        self.retranslateUi(NoticePreviewDialog)

        self.print_button.setDefault(True)

    # setupUi

    def retranslateUi(self, NoticePreviewDialog):
        NoticePreviewDialog.setWindowTitle(QCoreApplication.translate("NoticePreviewDialog", u"Guidance notice \u2014 preview", None))
        self.print_button.setText(QCoreApplication.translate("NoticePreviewDialog", u"&Print\u2026", None))
        self.save_pdf_button.setText(QCoreApplication.translate("NoticePreviewDialog", u"&Save as PDF\u2026", None))
        self.close_button.setText(QCoreApplication.translate("NoticePreviewDialog", u"Close (Esc)", None))
    # retranslateUi

