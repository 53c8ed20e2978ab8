"""The five modules of the platform, in the order of the loop they form."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Module:
    key: str
    url_name: str
    title: Promise
    summary: Promise
    empty_state: Promise


MODULES: tuple[Module, ...] = (
    Module(
        "monitor",
        "monitor",
        _("Theo dõi"),
        _("Báo chí thế giới viết gì về Việt Nam, theo từng câu chuyện và ngôn ngữ."),
        _(
            "Chưa có bài báo nào. Khi các nguồn tin được thêm và thu thập, các câu chuyện "
            "theo thời gian thực, ngôn ngữ và tỉnh được nhắc đến sẽ xuất hiện ở đây."
        ),
    ),
    Module(
        "measure",
        "measure",
        _("Đo lường"),
        _("Chỉ số, biểu đồ và báo cáo định kỳ về hiệu quả thông tin đối ngoại."),
        _(
            "Chưa có số liệu. Khi có dữ liệu theo dõi, các chỉ số về lượng tin, sắc thái, "
            "tỷ lệ tiếng nói so với các nước và báo cáo sáu tháng sẽ xuất hiện ở đây."
        ),
    ),
    Module(
        "respond",
        "respond",
        _("Phản hồi"),
        _("Thông tin sai lệch, hồ sơ xử lý và bài đính chính nhiều ngôn ngữ."),
        _(
            "Chưa có hồ sơ nào. Các thông tin sai lệch được phát hiện, hồ sơ xử lý, thời hạn "
            "và bài đính chính sẽ xuất hiện ở đây."
        ),
    ),
    Module(
        "publish",
        "publish",
        _("Quảng bá"),
        _("Cổng thông tin đa ngôn ngữ: tin bài, dịch thuật và phê duyệt."),
        _(
            "Chưa có tin bài nào. Tin bài, bản dịch đang chờ duyệt và lịch đăng theo từng "
            "ngôn ngữ sẽ xuất hiện ở đây."
        ),
    ),
    Module(
        "coordinate",
        "coordinate",
        _("Điều phối"),
        _("Kế hoạch, nhiệm vụ và báo cáo định kỳ của các cơ quan, địa phương."),
        _(
            "Chưa có nhiệm vụ nào. Nhiệm vụ được giao, hạn hoàn thành và đơn vị chậm trễ "
            "sẽ xuất hiện ở đây."
        ),
    ),
)


def module_get(key: str) -> Module:
    for module in MODULES:
        if module.key == key:
            return module
    raise KeyError(key)
