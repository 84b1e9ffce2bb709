# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'first_run_dialog.ui'
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
    QFormLayout, QLabel, QLineEdit, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

class Ui_FirstRunDialog(object):
    def setupUi(self, FirstRunDialog):
        if not FirstRunDialog.objectName():
            FirstRunDialog.setObjectName(u"FirstRunDialog")
        FirstRunDialog.resize(480, 320)
        self.main_layout = QVBoxLayout(FirstRunDialog)
        self.main_layout.setObjectName(u"main_layout")
        self.intro_label = QLabel(FirstRunDialog)
        self.intro_label.setObjectName(u"intro_label")
        self.intro_label.setWordWrap(True)

        self.main_layout.addWidget(self.intro_label)

        self.form_layout = QFormLayout()
        self.form_layout.setObjectName(u"form_layout")
        self.username_label = QLabel(FirstRunDialog)
        self.username_label.setObjectName(u"username_label")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.username_label)

        self.username_edit = QLineEdit(FirstRunDialog)
        self.username_edit.setObjectName(u"username_edit")

        self.form_layout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.username_edit)

        self.display_name_label = QLabel(FirstRunDialog)
        self.display_name_label.setObjectName(u"display_name_label")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.display_name_label)

        self.display_name_edit = QLineEdit(FirstRunDialog)
        self.display_name_edit.setObjectName(u"display_name_edit")

        self.form_layout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.display_name_edit)

        self.password_label = QLabel(FirstRunDialog)
        self.password_label.setObjectName(u"password_label")

        self.form_layout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.password_label)

        self.password_edit = QLineEdit(FirstRunDialog)
        self.password_edit.setObjectName(u"password_edit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.form_layout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.password_edit)

        self.password2_label = QLabel(FirstRunDialog)
        self.password2_label.setObjectName(u"password2_label")

        self.form_layout.setWidget(3, QFormLayout.ItemRole.LabelRole, self.password2_label)

        self.password2_edit = QLineEdit(FirstRunDialog)
        self.password2_edit.setObjectName(u"password2_edit")
        self.password2_edit.setEchoMode(QLineEdit.EchoMode.Password)

        self.form_layout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.password2_edit)


        self.main_layout.addLayout(self.form_layout)

        self.error_label = QLabel(FirstRunDialog)
        self.error_label.setObjectName(u"error_label")
        self.error_label.setStyleSheet(u"color: #b00020;")
        self.error_label.setWordWrap(True)

        self.main_layout.addWidget(self.error_label)

        self.vertical_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.main_layout.addItem(self.vertical_spacer)

        self.button_box = QDialogButtonBox(FirstRunDialog)
        self.button_box.setObjectName(u"button_box")
        self.button_box.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Ok)

        self.main_layout.addWidget(self.button_box)

#if QT_CONFIG(shortcut)
        self.username_label.setBuddy(self.username_edit)
        self.display_name_label.setBuddy(self.display_name_edit)
        self.password_label.setBuddy(self.password_edit)
        self.password2_label.setBuddy(self.password2_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.username_edit, self.display_name_edit)
        QWidget.setTabOrder(self.display_name_edit, self.password_edit)
        QWidget.setTabOrder(self.password_edit, self.password2_edit)

        self.retranslateUi(FirstRunDialog)
    # setupUi

    def retranslateUi(self, FirstRunDialog):
        FirstRunDialog.setWindowTitle(QCoreApplication.translate("FirstRunDialog", u"Set up the first administrator", None))
        self.intro_label.setText(QCoreApplication.translate("FirstRunDialog", u"This database has no users yet. Create the administrator account; the administrator then creates the accounts of clerks, lawyers and supervisors.", None))
        self.username_label.setText(QCoreApplication.translate("FirstRunDialog", u"&User name", None))
        self.display_name_label.setText(QCoreApplication.translate("FirstRunDialog", u"&Display name", None))
        self.password_label.setText(QCoreApplication.translate("FirstRunDialog", u"&Password", None))
        self.password2_label.setText(QCoreApplication.translate("FirstRunDialog", u"&Repeat password", None))
    # retranslateUi

