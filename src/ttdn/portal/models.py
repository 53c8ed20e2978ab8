"""The portal's page types (Wagtail) and its loop back to the platform.

Pages are translatable (wagtail-localize); the province a page belongs to, its image and
its dates are synchronised across translations, so a fact sheet in Lao shows the same
province and figures as the Vietnamese source.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import GroupApprovalTask, Orderable, Page, TaskState
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from ttdn.accounts.models import Organisation, OrganisationKind
from ttdn.portal import rendering
from ttdn.portal.forms import PortalPageForm

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "blockquote"]
PROVINCIAL_KINDS = (OrganisationKind.PROVINCE, OrganisationKind.CITY)


class PortalPage(Page):
    """Fields every reader-facing page shares: a summary for cards, feeds and search
    results, a cover image and, for provincial pages, the province that writes them."""

    summary = models.TextField(_("tóm tắt"), max_length=500, blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("ảnh bìa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    province = models.ForeignKey(
        Organisation,
        verbose_name=_("tỉnh, thành phố"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"kind__in": PROVINCIAL_KINDS},
        help_text=_("Để trống cho trang của trung ương."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("province"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    override_translatable_fields = [
        SynchronizedField("cover_image"),
        SynchronizedField("province"),
    ]
    base_form_class = PortalPageForm

    class Meta:
        abstract = True

    def get_template(self, request: Any, *args: Any, **kwargs: Any) -> str:
        return f"portal/{self._meta.model_name}.html"

    def get_context(self, request: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        # the chrome, and what this kind of page shows (ttdn.portal.pages, via the registry)
        context = super().get_context(request, *args, **kwargs)
        context.update(rendering.page_context(self, request))
        return context


class HomePage(PortalPage):
    """One per language (translations of the Vietnamese home); the site's root."""

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["portal.TopicIndexPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("trang chủ cổng thông tin")


class TopicIndexPage(RoutablePageMixin, PortalPage):
    """A section (news, economy, provinces, fact-checks, events, galleries): lists its
    pages and has its own RSS and Atom feeds."""

    parent_page_types = ["portal.HomePage"]
    subpage_types = [
        "portal.ArticlePage",
        "portal.FactSheetPage",
        "portal.FactCheckPage",
        "portal.EventPage",
        "portal.GalleryPage",
    ]

    class Meta:
        verbose_name = _("chủ đề")

    def children_live(self) -> models.QuerySet[Page]:
        return self.get_children().live().public().specific().order_by("-first_published_at")

    @path("rss/", name="rss")
    def rss(self, request: Any) -> Any:
        return rendering.feed_serve(request, kind="rss", topic=self)

    @path("atom/", name="atom")
    def atom(self, request: Any) -> Any:
        return rendering.feed_serve(request, kind="atom", topic=self)


class ArticlePage(PortalPage):
    date = models.DateField(_("ngày"))
    body = RichTextField(_("nội dung"), features=RICH_TEXT_FEATURES)

    content_panels = [*PortalPage.content_panels, FieldPanel("date"), FieldPanel("body")]
    search_fields = [*PortalPage.search_fields, index.SearchField("body")]
    override_translatable_fields = [
        *PortalPage.override_translatable_fields,
        SynchronizedField("date"),
    ]
    parent_page_types = ["portal.TopicIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("tin bài")


class FactSheetPage(PortalPage):
    """The country (no province) or one province: editors write the text, the figures and
    the chart come live from Measure (cached, see ttdn.portal.selectors.figures_get)."""

    body = RichTextField(_("nội dung"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [*PortalPage.content_panels, FieldPanel("body")]
    search_fields = [*PortalPage.search_fields, index.SearchField("body")]
    parent_page_types = ["portal.TopicIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("trang dữ liệu")


class ClaimRating(models.TextChoices):
    FALSE = "false", _("Sai")
    MISLEADING = "misleading", _("Gây hiểu lầm")
    MISSING_CONTEXT = "missing_context", _("Thiếu bối cảnh")
    PARTLY_FALSE = "partly_false", _("Sai một phần")
    TRUE = "true", _("Đúng")


class FactCheckPage(PortalPage):
    """An answer to a false claim (from the respond module or written here)."""

    date = models.DateField(_("ngày"))
    claim = models.TextField(_("nội dung bị kiểm chứng"), max_length=1000)
    claim_source = models.CharField(_("nguồn của thông tin"), max_length=300, blank=True)
    claim_url = models.URLField(_("đường dẫn thông tin gốc"), blank=True)
    rating = models.CharField(_("kết luận"), max_length=20, choices=ClaimRating.choices)
    body = RichTextField(_("nội dung"), features=RICH_TEXT_FEATURES)
    respond_case_id = models.PositiveIntegerField(_("mã hồ sơ phản hồi"), null=True, blank=True)

    content_panels = [
        *PortalPage.content_panels,
        FieldPanel("date"),
        MultiFieldPanel(
            [FieldPanel("claim"), FieldPanel("claim_source"), FieldPanel("claim_url")],
            heading=_("Thông tin được kiểm chứng"),
        ),
        FieldPanel("rating"),
        FieldPanel("body"),
    ]
    search_fields = [
        *PortalPage.search_fields,
        index.SearchField("claim"),
        index.SearchField("body"),
    ]
    override_translatable_fields = [
        *PortalPage.override_translatable_fields,
        SynchronizedField("date"),
        SynchronizedField("rating"),
        SynchronizedField("claim_url"),
        SynchronizedField("respond_case_id"),
    ]
    parent_page_types = ["portal.TopicIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("bài kiểm chứng")


class EventPage(PortalPage):
    start = models.DateTimeField(_("bắt đầu"))
    end = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    venue = models.CharField(_("địa điểm"), max_length=300)
    body = RichTextField(_("nội dung"), features=RICH_TEXT_FEATURES, blank=True)

    content_panels = [
        *PortalPage.content_panels,
        FieldPanel("start"),
        FieldPanel("end"),
        FieldPanel("venue"),
        FieldPanel("body"),
    ]
    search_fields = [*PortalPage.search_fields, index.SearchField("body")]
    override_translatable_fields = [
        *PortalPage.override_translatable_fields,
        SynchronizedField("start"),
        SynchronizedField("end"),
    ]
    parent_page_types = ["portal.TopicIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("sự kiện")


class GalleryPage(PortalPage):
    content_panels = [
        *PortalPage.content_panels,
        InlinePanel("images", label=_("Ảnh"), min_num=1),
    ]
    parent_page_types = ["portal.TopicIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("thư viện ảnh")


class GalleryImage(Orderable):
    page = ParentalKey(GalleryPage, on_delete=models.CASCADE, related_name="images")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name=_("ảnh"), on_delete=models.CASCADE, related_name="+"
    )
    caption = models.CharField(_("chú thích"), max_length=300)
    credit = models.CharField(_("tác giả"), max_length=200)
    licence = models.CharField(
        _("giấy phép"), max_length=200, help_text=_("Ví dụ: CC BY 4.0, hoặc © tác giả.")
    )

    panels = [
        FieldPanel("image"),
        FieldPanel("caption"),
        FieldPanel("credit"),
        FieldPanel("licence"),
    ]
    override_translatable_fields = [SynchronizedField("image"), SynchronizedField("licence")]


# --- moderation: the author never approves their own page --------------------------------


class NotAuthorApprovalTask(GroupApprovalTask):
    """Group approval in which whoever submitted the page, or its owner, cannot approve
    or reject it: a second person always looks at what the portal publishes."""

    class Meta:
        verbose_name = _("duyệt bởi người khác tác giả")
        verbose_name_plural = _("duyệt bởi người khác tác giả")

    @staticmethod
    def is_author(obj: Any, user: Any) -> bool:
        state = getattr(obj, "current_workflow_state", None)
        requested_by = getattr(state, "requested_by_id", None)
        return user.pk in {requested_by, getattr(obj, "owner_id", None)}

    def user_can_access_editor(self, obj: Any, user: Any) -> bool:
        return super().user_can_access_editor(obj, user)

    def get_actions(self, obj: Any, user: Any) -> list[tuple[str, Any, bool]]:
        if self.is_author(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state: TaskState, user: Any, action_name: str, **kwargs: Any) -> Any:
        if action_name in {"approve", "reject"} and self.is_author(
            task_state.workflow_state.content_object, user
        ):
            raise PermissionDenied(_("Tác giả không được tự duyệt trang của mình."))
        return super().on_action(task_state, user, action_name, **kwargs)


# --- the loop back: publications and their pickups ---------------------------------------


class Publication(models.Model):
    """One published portal page in one language: the platform's own publication, which
    Monitor's stored reports are matched against (pickups)."""

    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=16, db_index=True)
    url = models.CharField(max_length=1000)
    title = models.CharField(max_length=500)
    text = models.TextField(blank=True)
    translation_key = models.UUIDField(db_index=True)
    province = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_published_at = models.DateTimeField()
    last_published_at = models.DateTimeField()
    # multilingual embedding of title + lead (same model as reports), for translated pickups
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_key = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["-last_published_at"]

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"


class PickupKind(models.TextChoices):
    LINK = "link", _("dẫn đường dẫn")
    TEXT = "text", _("trích, đăng lại")
    TRANSLATION = "translation", _("dịch lại")


class Pickup(models.Model):
    """A foreign report that links to, quotes or republishes a portal page."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="pickups")
    report = models.ForeignKey("monitor.Report", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=PickupKind.choices)
    score = models.FloatField()
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["publication", "report"], name="pickup_once")
        ]
