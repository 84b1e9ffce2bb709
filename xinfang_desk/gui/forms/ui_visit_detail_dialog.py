# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'visit_detail_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QHBoxLayout, QLabel, QPushButton, QSizePolicy,
    QTextBrowser, QVBoxLayout, QWidget)

class Ui_VisitDetailDialog(object):
    def setupUi(self, VisitDetailDialog):
        if not VisitDetailDialog.objectName():
            VisitDetailDialog.setObjectName(u"VisitDetailDialog")
        VisitDetailDialog.resize(760, 720)
        self.main_layout = QVBoxLayout(VisitDetailDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.detail_browser = QTextBrowser(VisitDetailDialog)
        self.detail_browser.setObjectName(u"detail_browser")
        self.detail_browser.setOpenLinks(False)

        self.main_layout.addWidget(self.detail_browser)

        self.status_label = QLabel(VisitDetailDialog)
        self.status_label.setObjectName(u"status_label")
        self.status_label.setWordWrap(True)
        self.status_label.setText(u"")

        self.main_layout.addWidget(self.status_label)

        self.buttons_layout = QHBoxLayout()
        self.buttons_layout.setObjectName(u"buttons_layout")
        self.reprint_button = QPushButton(VisitDetailDialog)
        self.reprint_button.setObjectName(u"reprint_button")
        self.reprint_button.setVisible(False)

        self.buttons_layout.addWidget(self.reprint_button)

        self.button_box = QDialogButtonBox(VisitDetailDialog)
        self.button_box.setObjectName(u"button_box")
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.buttons_layout.addWidget(self.button_box)


        self.main_layout.addLayout(self.buttons_layout)

        QWidget.setTabOrder(self.reprint_button, self.button_box)
        QWidget.setTabOrder(self.button_box, self.detail_browser)

        self.retranslateUi(VisitDetailDialog)
    # setupUi

    def retranslateUi(self, VisitDetailDialog):
        VisitDetailDialog.setWindowTitle(QCoreApplication.translate("VisitDetailDialog", u"Visit", None))
        self.reprint_button.setText(QCoreApplication.translate("VisitDetailDialog", u"&Reprint notice", None))
    # retranslateUi

