"""The banned and suspect words that hold or refuse replies."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forum.models import WordRule


class WordRuleForm(forms.ModelForm):
    class Meta:
        model = WordRule
        fields = ("word", "kind")

    def clean_word(self):
        word = " ".join(self.cleaned_data["word"].split())
        if not word:
            raise ValidationError(_("Give a word or a phrase."))
        return word


@admin.register(WordRule)
class WordRuleAdmin(admin.ModelAdmin):
    form = WordRuleForm
    list_display = ("word", "kind", "created_at")
    list_filter = ("kind",)
    search_fields = ("word",)
    ordering = ("kind", "word")
