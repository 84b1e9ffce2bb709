# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'override_dialog.ui'
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
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog,
    QDialogButtonBox, QFormLayout, QLabel, QPlainTextEdit,
    QSizePolicy, QVBoxLayout, QWidget)

class Ui_OverrideDialog(object):
    def setupUi(self, OverrideDialog):
        if not OverrideDialog.objectName():
            OverrideDialog.setObjectName(u"OverrideDialog")
        OverrideDialog.resize(640, 420)
        self.main_layout = QVBoxLayout(OverrideDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.proposal_label = QLabel(OverrideDialog)
        self.proposal_label.setObjectName(u"proposal_label")
        self.proposal_label.setWordWrap(True)
        self.proposal_label.setStyleSheet(u"color: #555;")
        self.proposal_label.setText(u"")

        self.main_layout.addWidget(self.proposal_label)

        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.decision_label = QLabel(OverrideDialog)
        self.decision_label.setObjectName(u"decision_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.decision_label)

        self.decision_combo = QComboBox(OverrideDialog)
        self.decision_combo.setObjectName(u"decision_combo")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.decision_combo)

        self.organ_label = QLabel(OverrideDialog)
        self.organ_label.setObjectName(u"organ_label")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.organ_label)

        self.organ_combo = QComboBox(OverrideDialog)
        self.organ_combo.setObjectName(u"organ_combo")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.organ_combo)

        self.reason_label = QLabel(OverrideDialog)
        self.reason_label.setObjectName(u"reason_label")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.reason_label)

        self.reason_edit = QPlainTextEdit(OverrideDialog)
        self.reason_edit.setObjectName(u"reason_edit")
        self.reason_edit.setTabChangesFocus(True)

        self.form_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.reason_edit)


        self.main_layout.addLayout(self.form_layout)

        self.error_label = QLabel(OverrideDialog)
        self.error_label.setObjectName(u"error_label")
        self.error_label.setVisible(False)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(u"color: #b00020;")

        self.main_layout.addWidget(self.error_label)

        self.button_box = QDialogButtonBox(OverrideDialog)
        self.button_box.setObjectName(u"button_box")
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.main_layout.addWidget(self.button_box)

#if QT_CONFIG(shortcut)
        self.decision_label.setBuddy(self.decision_combo)
        self.organ_label.setBuddy(self.organ_combo)
        self.reason_label.setBuddy(self.reason_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.decision_combo, self.organ_combo)
        QWidget.setTabOrder(self.organ_combo, self.reason_edit)
        QWidget.setTabOrder(self.reason_edit, self.button_box)

        self.retranslateUi(OverrideDialog)
    # setupUi

    def retranslateUi(self, OverrideDialog):
        OverrideDialog.setWindowTitle(QCoreApplication.translate("OverrideDialog", u"Override the proposed channel", None))
        self.decision_label.setText(QCoreApplication.translate("OverrideDialog", u"&Decision", None))
        self.organ_label.setText(QCoreApplication.translate("OverrideDialog", u"&Organ", None))
        self.reason_label.setText(QCoreApplication.translate("OverrideDialog", u"&Reason (required)", None))
        self.reason_edit.setPlaceholderText(QCoreApplication.translate("OverrideDialog", u"why the proposal does not fit this matter; it is audited", None))
    # retranslateUi

