# -*- coding: utf-8 -*-

################################################################################
## Form generated from reading UI file 'registration_page.ui'
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
from PySide6.QtWidgets import (QApplication, QComboBox, QFrame, QGridLayout,
    QGroupBox, QHBoxLayout, QHeaderView, QLabel,
    QLineEdit, QListWidget, QListWidgetItem, QPlainTextEdit,
    QPushButton, QScrollArea, QSizePolicy, QSpacerItem,
    QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget)

class Ui_RegistrationPage(object):
    def setupUi(self, RegistrationPage):
        if not RegistrationPage.objectName():
            RegistrationPage.setObjectName(u"RegistrationPage")
        RegistrationPage.resize(1200, 820)
        self.main_layout = QHBoxLayout(RegistrationPage)
        self.main_layout.setObjectName(u"main_layout")
        self.left_layout = QVBoxLayout()
        self.left_layout.setObjectName(u"left_layout")
        self.left_scroll = QScrollArea(RegistrationPage)
        self.left_scroll.setObjectName(u"left_scroll")
        self.left_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.left_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.left_scroll.setWidgetResizable(True)
        self.left_content = QWidget()
        self.left_content.setObjectName(u"left_content")
        self.left_content_layout = QVBoxLayout(self.left_content)
        self.left_content_layout.setObjectName(u"left_content_layout")
        self.left_content_layout.setContentsMargins(0, 0, 0, 0)
        self.search_box = QGroupBox(self.left_content)
        self.search_box.setObjectName(u"search_box")
        self.search_layout = QVBoxLayout(self.search_box)
        self.search_layout.setObjectName(u"search_layout")
        self.search_edit = QLineEdit(self.search_box)
        self.search_edit.setObjectName(u"search_edit")

        self.search_layout.addWidget(self.search_edit)

        self.search_results = QListWidget(self.search_box)
        self.search_results.setObjectName(u"search_results")
        self.search_results.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.search_results.setMaximumSize(QSize(16777215, 110))
        self.search_results.setVisible(False)

        self.search_layout.addWidget(self.search_results)

        self.search_status_label = QLabel(self.search_box)
        self.search_status_label.setObjectName(u"search_status_label")
        self.search_status_label.setText(u"")

        self.search_layout.addWidget(self.search_status_label)


        self.left_content_layout.addWidget(self.search_box)

        self.person_box = QGroupBox(self.left_content)
        self.person_box.setObjectName(u"person_box")
        self.person_grid = QGridLayout(self.person_box)
        self.person_grid.setObjectName(u"person_grid")
        self.name_label = QLabel(self.person_box)
        self.name_label.setObjectName(u"name_label")

        self.person_grid.addWidget(self.name_label, 0, 0, 1, 1)

        self.name_edit = QLineEdit(self.person_box)
        self.name_edit.setObjectName(u"name_edit")

        self.person_grid.addWidget(self.name_edit, 0, 1, 1, 1)

        self.id_label = QLabel(self.person_box)
        self.id_label.setObjectName(u"id_label")

        self.person_grid.addWidget(self.id_label, 0, 2, 1, 1)

        self.id_edit = QLineEdit(self.person_box)
        self.id_edit.setObjectName(u"id_edit")
        self.id_edit.setMaxLength(40)

        self.person_grid.addWidget(self.id_edit, 0, 3, 1, 1)

        self.name_error = QLabel(self.person_box)
        self.name_error.setObjectName(u"name_error")
        self.name_error.setVisible(False)
        self.name_error.setStyleSheet(u"color: #b00020;")
        self.name_error.setWordWrap(True)

        self.person_grid.addWidget(self.name_error, 1, 1, 1, 1)

        self.id_error = QLabel(self.person_box)
        self.id_error.setObjectName(u"id_error")
        self.id_error.setVisible(False)
        self.id_error.setStyleSheet(u"color: #b00020;")
        self.id_error.setWordWrap(True)

        self.person_grid.addWidget(self.id_error, 1, 3, 1, 1)

        self.gender_label = QLabel(self.person_box)
        self.gender_label.setObjectName(u"gender_label")

        self.person_grid.addWidget(self.gender_label, 2, 0, 1, 1)

        self.gender_value = QLabel(self.person_box)
        self.gender_value.setObjectName(u"gender_value")
        self.gender_value.setText(u"\u2014")
        self.gender_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.person_grid.addWidget(self.gender_value, 2, 1, 1, 1)

        self.birth_label = QLabel(self.person_box)
        self.birth_label.setObjectName(u"birth_label")

        self.person_grid.addWidget(self.birth_label, 2, 2, 1, 1)

        self.birth_value = QLabel(self.person_box)
        self.birth_value.setObjectName(u"birth_value")
        self.birth_value.setText(u"\u2014")
        self.birth_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.person_grid.addWidget(self.birth_value, 2, 3, 1, 1)

        self.phone_label = QLabel(self.person_box)
        self.phone_label.setObjectName(u"phone_label")

        self.person_grid.addWidget(self.phone_label, 3, 0, 1, 1)

        self.phone_edit = QLineEdit(self.person_box)
        self.phone_edit.setObjectName(u"phone_edit")
        self.phone_edit.setMaxLength(40)

        self.person_grid.addWidget(self.phone_edit, 3, 1, 1, 1)

        self.group_size_label = QLabel(self.person_box)
        self.group_size_label.setObjectName(u"group_size_label")

        self.person_grid.addWidget(self.group_size_label, 3, 2, 1, 1)

        self.group_size_spin = QSpinBox(self.person_box)
        self.group_size_spin.setObjectName(u"group_size_spin")
        self.group_size_spin.setMinimum(1)
        self.group_size_spin.setMaximum(10000)
        self.group_size_spin.setValue(1)

        self.person_grid.addWidget(self.group_size_spin, 3, 3, 1, 1)

        self.phone_error = QLabel(self.person_box)
        self.phone_error.setObjectName(u"phone_error")
        self.phone_error.setVisible(False)
        self.phone_error.setStyleSheet(u"color: #b00020;")
        self.phone_error.setWordWrap(True)

        self.person_grid.addWidget(self.phone_error, 4, 1, 1, 1)

        self.group_error = QLabel(self.person_box)
        self.group_error.setObjectName(u"group_error")
        self.group_error.setVisible(False)
        self.group_error.setStyleSheet(u"color: #b00020;")
        self.group_error.setWordWrap(True)

        self.person_grid.addWidget(self.group_error, 4, 3, 1, 1)

        self.address_label = QLabel(self.person_box)
        self.address_label.setObjectName(u"address_label")

        self.person_grid.addWidget(self.address_label, 5, 0, 1, 1)

        self.address_edit = QLineEdit(self.person_box)
        self.address_edit.setObjectName(u"address_edit")
        self.address_edit.setMaxLength(200)

        self.person_grid.addWidget(self.address_edit, 5, 1, 1, 3)

        self.address_error = QLabel(self.person_box)
        self.address_error.setObjectName(u"address_error")
        self.address_error.setVisible(False)
        self.address_error.setStyleSheet(u"color: #b00020;")
        self.address_error.setWordWrap(True)

        self.person_grid.addWidget(self.address_error, 6, 1, 1, 3)

        self.person_grid.setColumnStretch(1, 1)
        self.person_grid.setColumnStretch(3, 1)

        self.left_content_layout.addWidget(self.person_box)

        self.reps_box = QGroupBox(self.left_content)
        self.reps_box.setObjectName(u"reps_box")
        self.reps_box.setVisible(False)
        self.reps_layout = QVBoxLayout(self.reps_box)
        self.reps_layout.setObjectName(u"reps_layout")
        self.reps_hint_label = QLabel(self.reps_box)
        self.reps_hint_label.setObjectName(u"reps_hint_label")

        self.reps_layout.addWidget(self.reps_hint_label)

        self.reps_table = QTableWidget(self.reps_box)
        self.reps_table.setObjectName(u"reps_table")
        self.reps_table.setTabKeyNavigation(False)
        self.reps_table.setMaximumSize(QSize(16777215, 170))

        self.reps_layout.addWidget(self.reps_table)

        self.reps_error = QLabel(self.reps_box)
        self.reps_error.setObjectName(u"reps_error")
        self.reps_error.setVisible(False)
        self.reps_error.setStyleSheet(u"color: #b00020;")
        self.reps_error.setWordWrap(True)

        self.reps_layout.addWidget(self.reps_error)


        self.left_content_layout.addWidget(self.reps_box)

        self.matter_box = QGroupBox(self.left_content)
        self.matter_box.setObjectName(u"matter_box")
        self.matter_grid = QGridLayout(self.matter_box)
        self.matter_grid.setObjectName(u"matter_grid")
        self.channel_label = QLabel(self.matter_box)
        self.channel_label.setObjectName(u"channel_label")

        self.matter_grid.addWidget(self.channel_label, 0, 0, 1, 1)

        self.channel_combo = QComboBox(self.matter_box)
        self.channel_combo.setObjectName(u"channel_combo")

        self.matter_grid.addWidget(self.channel_combo, 0, 1, 1, 1)

        self.kind_label = QLabel(self.matter_box)
        self.kind_label.setObjectName(u"kind_label")

        self.matter_grid.addWidget(self.kind_label, 0, 2, 1, 1)

        self.kind_edit = QLineEdit(self.matter_box)
        self.kind_edit.setObjectName(u"kind_edit")

        self.matter_grid.addWidget(self.kind_edit, 0, 3, 1, 1)

        self.channel_error = QLabel(self.matter_box)
        self.channel_error.setObjectName(u"channel_error")
        self.channel_error.setVisible(False)
        self.channel_error.setStyleSheet(u"color: #b00020;")
        self.channel_error.setWordWrap(True)

        self.matter_grid.addWidget(self.channel_error, 1, 1, 1, 1)

        self.kind_error = QLabel(self.matter_box)
        self.kind_error.setObjectName(u"kind_error")
        self.kind_error.setVisible(False)
        self.kind_error.setStyleSheet(u"color: #b00020;")
        self.kind_error.setWordWrap(True)

        self.matter_grid.addWidget(self.kind_error, 1, 3, 1, 1)

        self.summary_label = QLabel(self.matter_box)
        self.summary_label.setObjectName(u"summary_label")

        self.matter_grid.addWidget(self.summary_label, 2, 0, 1, 1)

        self.summary_edit = QPlainTextEdit(self.matter_box)
        self.summary_edit.setObjectName(u"summary_edit")
        self.summary_edit.setTabChangesFocus(True)
        self.summary_edit.setMinimumSize(QSize(0, 52))
        self.summary_edit.setMaximumSize(QSize(16777215, 76))

        self.matter_grid.addWidget(self.summary_edit, 2, 1, 1, 3)

        self.summary_error = QLabel(self.matter_box)
        self.summary_error.setObjectName(u"summary_error")
        self.summary_error.setVisible(False)
        self.summary_error.setStyleSheet(u"color: #b00020;")
        self.summary_error.setWordWrap(True)

        self.matter_grid.addWidget(self.summary_error, 3, 1, 1, 3)

        self.demands_label = QLabel(self.matter_box)
        self.demands_label.setObjectName(u"demands_label")

        self.matter_grid.addWidget(self.demands_label, 4, 0, 1, 1)

        self.demands_edit = QPlainTextEdit(self.matter_box)
        self.demands_edit.setObjectName(u"demands_edit")
        self.demands_edit.setTabChangesFocus(True)
        self.demands_edit.setMinimumSize(QSize(0, 40))
        self.demands_edit.setMaximumSize(QSize(16777215, 56))

        self.matter_grid.addWidget(self.demands_edit, 4, 1, 1, 3)

        self.demands_error = QLabel(self.matter_box)
        self.demands_error.setObjectName(u"demands_error")
        self.demands_error.setVisible(False)
        self.demands_error.setStyleSheet(u"color: #b00020;")
        self.demands_error.setWordWrap(True)

        self.matter_grid.addWidget(self.demands_error, 5, 1, 1, 3)

        self.respondent_label = QLabel(self.matter_box)
        self.respondent_label.setObjectName(u"respondent_label")

        self.matter_grid.addWidget(self.respondent_label, 6, 0, 1, 1)

        self.respondent_edit = QLineEdit(self.matter_box)
        self.respondent_edit.setObjectName(u"respondent_edit")
        self.respondent_edit.setMaxLength(200)

        self.matter_grid.addWidget(self.respondent_edit, 6, 1, 1, 1)

        self.respondent_error = QLabel(self.matter_box)
        self.respondent_error.setObjectName(u"respondent_error")
        self.respondent_error.setVisible(False)
        self.respondent_error.setStyleSheet(u"color: #b00020;")
        self.respondent_error.setWordWrap(True)

        self.matter_grid.addWidget(self.respondent_error, 7, 1, 1, 3)

        self.received_label = QLabel(self.matter_box)
        self.received_label.setObjectName(u"received_label")

        self.matter_grid.addWidget(self.received_label, 6, 2, 1, 1)

        self.received_edit = QLineEdit(self.matter_box)
        self.received_edit.setObjectName(u"received_edit")

        self.matter_grid.addWidget(self.received_edit, 6, 3, 1, 1)

        self.received_hint = QLabel(self.matter_box)
        self.received_hint.setObjectName(u"received_hint")
        self.received_hint.setVisible(False)
        self.received_hint.setStyleSheet(u"color: #555;")

        self.matter_grid.addWidget(self.received_hint, 8, 1, 1, 3)

        self.received_error = QLabel(self.matter_box)
        self.received_error.setObjectName(u"received_error")
        self.received_error.setVisible(False)
        self.received_error.setWordWrap(True)
        self.received_error.setStyleSheet(u"color: #b00020;")

        self.matter_grid.addWidget(self.received_error, 9, 1, 1, 3)

        self.matter_grid.setColumnStretch(1, 1)
        self.matter_grid.setColumnStretch(3, 1)

        self.left_content_layout.addWidget(self.matter_box)

        self.facts_box = QGroupBox(self.left_content)
        self.facts_box.setObjectName(u"facts_box")
        self.facts_box.setVisible(False)
        self.facts_layout = QVBoxLayout(self.facts_box)
        self.facts_layout.setObjectName(u"facts_layout")
        self.facts_hint_label = QLabel(self.facts_box)
        self.facts_hint_label.setObjectName(u"facts_hint_label")
        self.facts_hint_label.setWordWrap(True)
        self.facts_hint_label.setStyleSheet(u"color: #555;")

        self.facts_layout.addWidget(self.facts_hint_label)


        self.left_content_layout.addWidget(self.facts_box)

        self.form_error = QLabel(self.left_content)
        self.form_error.setObjectName(u"form_error")
        self.form_error.setVisible(False)
        self.form_error.setStyleSheet(u"color: #b00020;")
        self.form_error.setWordWrap(True)

        self.left_content_layout.addWidget(self.form_error)

        self.left_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.left_content_layout.addItem(self.left_spacer)

        self.left_scroll.setWidget(self.left_content)

        self.left_layout.addWidget(self.left_scroll)

        self.buttons_layout = QHBoxLayout()
        self.buttons_layout.setObjectName(u"buttons_layout")
        self.saved_label = QLabel(RegistrationPage)
        self.saved_label.setObjectName(u"saved_label")
        self.saved_label.setText(u"")
        self.saved_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons_layout.addWidget(self.saved_label)

        self.buttons_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.buttons_layout.addItem(self.buttons_spacer)

        self.clear_button = QPushButton(RegistrationPage)
        self.clear_button.setObjectName(u"clear_button")

        self.buttons_layout.addWidget(self.clear_button)

        self.save_button = QPushButton(RegistrationPage)
        self.save_button.setObjectName(u"save_button")

        self.buttons_layout.addWidget(self.save_button)

        self.save_print_button = QPushButton(RegistrationPage)
        self.save_print_button.setObjectName(u"save_print_button")

        self.buttons_layout.addWidget(self.save_print_button)


        self.left_layout.addLayout(self.buttons_layout)


        self.main_layout.addLayout(self.left_layout)

        self.right_layout = QVBoxLayout()
        self.right_layout.setObjectName(u"right_layout")
        self.history_box = QGroupBox(RegistrationPage)
        self.history_box.setObjectName(u"history_box")
        self.history_layout = QVBoxLayout(self.history_box)
        self.history_layout.setObjectName(u"history_layout")
        self.history_list = QListWidget(self.history_box)
        self.history_list.setObjectName(u"history_list")
        self.history_list.setWordWrap(True)

        self.history_layout.addWidget(self.history_list)


        self.right_layout.addWidget(self.history_box)

        self.warnings_box = QGroupBox(RegistrationPage)
        self.warnings_box.setObjectName(u"warnings_box")
        self.warnings_layout = QVBoxLayout(self.warnings_box)
        self.warnings_layout.setObjectName(u"warnings_layout")
        self.repeat_label = QLabel(self.warnings_box)
        self.repeat_label.setObjectName(u"repeat_label")
        self.repeat_label.setVisible(False)
        self.repeat_label.setWordWrap(True)
        self.repeat_label.setOpenExternalLinks(False)
        self.repeat_label.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByKeyboard|Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.repeat_label.setStyleSheet(u"background: #fff3cd; color: #7a4b00; border: 1px solid #e0b252; padding: 6px;")

        self.warnings_layout.addWidget(self.repeat_label)

        self.collective_label = QLabel(self.warnings_box)
        self.collective_label.setObjectName(u"collective_label")
        self.collective_label.setVisible(False)
        self.collective_label.setWordWrap(True)
        self.collective_label.setStyleSheet(u"background: #fdecea; color: #8a1c12; border: 1px solid #e6a19a; padding: 6px;")

        self.warnings_layout.addWidget(self.collective_label)

        self.no_warnings_label = QLabel(self.warnings_box)
        self.no_warnings_label.setObjectName(u"no_warnings_label")

        self.warnings_layout.addWidget(self.no_warnings_label)

        self.warnings_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.warnings_layout.addItem(self.warnings_spacer)


        self.right_layout.addWidget(self.warnings_box)

        self.channels_box = QGroupBox(RegistrationPage)
        self.channels_box.setObjectName(u"channels_box")
        self.channels_layout = QVBoxLayout(self.channels_box)
        self.channels_layout.setObjectName(u"channels_layout")
        self.override_label = QLabel(self.channels_box)
        self.override_label.setObjectName(u"override_label")
        self.override_label.setVisible(False)
        self.override_label.setWordWrap(True)
        self.override_label.setStyleSheet(u"background: #fff3cd; color: #7a4b00; border: 1px solid #e0b252; padding: 6px;")

        self.channels_layout.addWidget(self.override_label)

        self.override_buttons_layout = QHBoxLayout()
        self.override_buttons_layout.setObjectName(u"override_buttons_layout")
        self.override_spacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.override_buttons_layout.addItem(self.override_spacer)

        self.undo_override_button = QPushButton(self.channels_box)
        self.undo_override_button.setObjectName(u"undo_override_button")
        self.undo_override_button.setVisible(False)

        self.override_buttons_layout.addWidget(self.undo_override_button)

        self.override_button = QPushButton(self.channels_box)
        self.override_button.setObjectName(u"override_button")

        self.override_buttons_layout.addWidget(self.override_button)


        self.channels_layout.addLayout(self.override_buttons_layout)


        self.right_layout.addWidget(self.channels_box)

        self.right_layout.setStretch(0, 1)
        self.right_layout.setStretch(1, 1)
        self.right_layout.setStretch(2, 3)

        self.main_layout.addLayout(self.right_layout)

        self.main_layout.setStretch(0, 3)
        self.main_layout.setStretch(1, 2)
#if QT_CONFIG(shortcut)
        self.name_label.setBuddy(self.name_edit)
        self.id_label.setBuddy(self.id_edit)
        self.phone_label.setBuddy(self.phone_edit)
        self.group_size_label.setBuddy(self.group_size_spin)
        self.address_label.setBuddy(self.address_edit)
        self.channel_label.setBuddy(self.channel_combo)
        self.kind_label.setBuddy(self.kind_edit)
        self.summary_label.setBuddy(self.summary_edit)
        self.demands_label.setBuddy(self.demands_edit)
        self.respondent_label.setBuddy(self.respondent_edit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.search_edit, self.name_edit)
        QWidget.setTabOrder(self.name_edit, self.id_edit)
        QWidget.setTabOrder(self.id_edit, self.phone_edit)
        QWidget.setTabOrder(self.phone_edit, self.group_size_spin)
        QWidget.setTabOrder(self.group_size_spin, self.address_edit)
        QWidget.setTabOrder(self.address_edit, self.reps_table)
        QWidget.setTabOrder(self.reps_table, self.channel_combo)
        QWidget.setTabOrder(self.channel_combo, self.kind_edit)
        QWidget.setTabOrder(self.kind_edit, self.summary_edit)
        QWidget.setTabOrder(self.summary_edit, self.demands_edit)
        QWidget.setTabOrder(self.demands_edit, self.respondent_edit)
        QWidget.setTabOrder(self.respondent_edit, self.received_edit)
        QWidget.setTabOrder(self.received_edit, self.save_button)
        QWidget.setTabOrder(self.save_button, self.save_print_button)
        QWidget.setTabOrder(self.save_print_button, self.clear_button)
        QWidget.setTabOrder(self.clear_button, self.override_button)
        QWidget.setTabOrder(self.override_button, self.undo_override_button)
        QWidget.setTabOrder(self.undo_override_button, self.history_list)

        self.retranslateUi(RegistrationPage)
    # setupUi

    def retranslateUi(self, RegistrationPage):
        self.search_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Search visitor", None))
        self.search_edit.setPlaceholderText(QCoreApplication.translate("RegistrationPage", u"ID number, phone, name or pinyin initials \u2014 Enter picks the first, \u2193 moves", None))
        self.person_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Visitor", None))
        self.name_label.setText(QCoreApplication.translate("RegistrationPage", u"Name", None))
        self.id_label.setText(QCoreApplication.translate("RegistrationPage", u"ID number", None))
        self.id_edit.setPlaceholderText(QCoreApplication.translate("RegistrationPage", u"18 digits; the last may be X", None))
        self.gender_label.setText(QCoreApplication.translate("RegistrationPage", u"Gender", None))
        self.birth_label.setText(QCoreApplication.translate("RegistrationPage", u"Birth date", None))
        self.phone_label.setText(QCoreApplication.translate("RegistrationPage", u"Phone", None))
        self.phone_edit.setPlaceholderText(QCoreApplication.translate("RegistrationPage", u"mobile or landline with area code", None))
        self.group_size_label.setText(QCoreApplication.translate("RegistrationPage", u"Group size", None))
        self.address_label.setText(QCoreApplication.translate("RegistrationPage", u"Address", None))
        self.reps_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Representatives", None))
        self.reps_hint_label.setText(QCoreApplication.translate("RegistrationPage", u"The visitor above counts as the first representative; at most 5 in all.", None))
        self.matter_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Matter", None))
        self.channel_label.setText(QCoreApplication.translate("RegistrationPage", u"Channel", None))
        self.kind_label.setText(QCoreApplication.translate("RegistrationPage", u"Kind of matter", None))
        self.kind_edit.setPlaceholderText(QCoreApplication.translate("RegistrationPage", u"type to search: ldzy, \u52b3\u52a8 \u2026", None))
        self.summary_label.setText(QCoreApplication.translate("RegistrationPage", u"Summary", None))
        self.demands_label.setText(QCoreApplication.translate("RegistrationPage", u"Demands", None))
        self.respondent_label.setText(QCoreApplication.translate("RegistrationPage", u"Respondent", None))
        self.respondent_edit.setPlaceholderText(QCoreApplication.translate("RegistrationPage", u"organ, company or person the matter is about; Enter saves", None))
        self.received_label.setText(QCoreApplication.translate("RegistrationPage", u"Received on", None))
        self.received_edit.setPlaceholderText(QCoreApplication.translate("RegistrationPage", u"today", None))
        self.received_hint.setText(QCoreApplication.translate("RegistrationPage", u"for a letter registered later, e.g. 20261127 or 11.27", None))
        self.facts_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Questions for this kind of matter", None))
        self.facts_hint_label.setText(QCoreApplication.translate("RegistrationPage", u"Ask only these; leave \u201cunknown\u201d when the visitor does not know. Dates: 2026-11-27, 20261127 or 11.27.", None))
        self.clear_button.setText(QCoreApplication.translate("RegistrationPage", u"Clear (Esc)", None))
        self.save_button.setText(QCoreApplication.translate("RegistrationPage", u"Save (Ctrl+S)", None))
        self.save_print_button.setText(QCoreApplication.translate("RegistrationPage", u"Save and print notice (Ctrl+P)", None))
        self.history_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Earlier visits", None))
        self.warnings_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Warnings", None))
        self.no_warnings_label.setText(QCoreApplication.translate("RegistrationPage", u"No warnings.", None))
        self.channels_box.setTitle(QCoreApplication.translate("RegistrationPage", u"Proposed channels", None))
        self.undo_override_button.setText(QCoreApplication.translate("RegistrationPage", u"Use the proposal", None))
        self.override_button.setText(QCoreApplication.translate("RegistrationPage", u"Override\u2026 (Ctrl+R)", None))
        pass
    # retranslateUi

