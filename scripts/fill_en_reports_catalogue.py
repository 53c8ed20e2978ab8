# ruff: noqa: E501 - a translation table reads best one message per line
"""Fill the English catalogue of the reports app (src/ttdn/reports/locale/en/…/django.po)
from the table below. The app keeps its own catalogue, which Django merges with the main
one, so the report strings can be edited without touching the platform's shared .po file.

    cd src/ttdn/reports && ttdn manage makemessages -l en --no-location --no-wrap
    python scripts/fill_en_reports_catalogue.py src/ttdn/reports/locale/en/LC_MESSAGES/django.po
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

EN = {
    "Báo cáo định kỳ": "Periodic reports",
    "Toàn quốc": "Whole country",
    "Loại báo cáo": "Report kind",
    "Phạm vi": "Scope",
    "Năm": "Year",
    "Với đánh giá nhiều năm: năm cuối của giai đoạn.": "For multi-year evaluations: the last year of the span.",
    "Nửa năm": "Half-year",
    "Sáu tháng đầu năm": "First half (January–June)",
    "Sáu tháng cuối năm": "Second half (July–December)",
    "Từ ngày": "From",
    "Đến ngày": "To",
    "Lần chạy đầu": "First run",
    "Để trống: ngay sau khi kỳ hiện tại kết thúc.": "Leave empty: right after the current period ends.",
    "Đang chờ": "Queued",
    "Đang tạo": "Running",
    "Hoàn thành": "Done",
    "Lỗi": "Failed",
    "loại báo cáo": "report kind",
    "tổ chức": "organisation",
    "Để trống: toàn quốc.": "Empty: the whole country.",
    "từ ngày": "from",
    "đến ngày": "to",
    "ngôn ngữ": "language",
    "tiêu đề": "title",
    "trạng thái": "status",
    "tiến độ (%)": "progress (%)",
    "lỗi": "error",
    "người yêu cầu": "requested by",
    "lịch": "schedule",
    "yêu cầu lúc": "requested at",
    "xong lúc": "finished at",
    "báo cáo định kỳ": "periodic report",
    "lần chạy tới": "next run",
    "đang bật": "active",
    "người tạo": "created by",
    "lần chạy trước": "last run",
    "lịch báo cáo": "report schedule",
    "Trang %(n)s/%(total)s": "Page %(n)s/%(total)s",
    "Không có số liệu.": "No data.",
    "NỀN TẢNG TTĐN · BÁO CÁO ĐỊNH KỲ": "TTĐN PLATFORM · PERIODIC REPORT",
    "Số liệu từ %(a)s đến %(b)s · lập lúc %(t)s": "Data from %(a)s to %(b)s · made %(t)s",
    "Kỳ báo cáo chưa kết thúc: số liệu tính đến hết ngày %(d)s.": "The period has not ended yet: data up to the end of %(d)s.",
    "Số liệu chính": "Key figures",
    "Bài báo": "Reports",
    "Bài gốc (không tính bản sao)": "Unique reports (copies not counted)",
    "Câu chuyện": "Stories",
    "Sắc thái trung bình (−1…1)": "Mean tone (−1…1)",
    "% bài tích cực": "% positive reports",
    "% bài tiêu cực": "% negative reports",
    "Bài báo so với kỳ trước cùng độ dài": "Reports compared with the previous period of the same length",
    "Chỉ số": "Indicator",
    "Giá trị": "Value",
    "Lượng tin theo thời gian": "Coverage over time",
    "Bài gốc": "Unique reports",
    "Sắc thái theo thời gian": "Tone over time",
    "Sắc thái trung bình": "Mean tone",
    "Đánh giá theo năm": "Evaluation by year",
    "Thay đổi so với năm trước": "Change from the previous year",
    "Đưa tin theo quốc gia của cơ quan báo chí": "Coverage by outlet country",
    "Không rõ": "Unknown",
    "Tỷ lệ tiếng nói so với các nước (%)": "Share of voice among peer countries (%)",
    "Khía cạnh hình ảnh quốc gia": "Nation-brand dimensions",
    "Câu chuyện nổi bật": "Top stories",
    "Ngôn ngữ": "Language",
    "Sắc thái": "Tone",
    "Không có câu chuyện nào trong kỳ.": "No stories in this period.",
    "Phương pháp": "Method",
    "Các số liệu được tính bằng các chỉ số của phân hệ Đo lường, theo định nghĩa có đánh số phiên bản (xem /do-luong/dinh-nghia/). Với một tỉnh, thành phố, bài báo nhắc đến tên các tỉnh cũ đã sáp nhập được tính cho đơn vị mới.": "Figures are computed by the Measure module's indicators, following their versioned definitions (see /do-luong/dinh-nghia/). For a province or city, reports naming the former provinces merged into it count for the new unit.",
    "Báo cáo sáu tháng": "Six-month report",
    "Báo cáo năm": "Annual report",
    "Báo cáo theo kỳ tùy chọn": "Custom-period report",
    "Đánh giá 3 năm": "3-year evaluation",
    "Đánh giá 5 năm": "5-year evaluation",
    "Đánh giá 10 năm": "10-year evaluation",
    "Hãy chọn năm của kỳ báo cáo.": "Choose the year of the report period.",
    "Năm phải từ %(y)s trở đi.": "The year must be %(y)s or later.",
    "Hãy chọn sáu tháng đầu năm hoặc cuối năm.": "Choose the first or the second half of the year.",
    "Báo cáo theo kỳ tùy chọn cần cả “Từ ngày” và “Đến ngày”.": "A custom-period report needs both “From” and “To”.",
    "“Đến ngày” phải sau hoặc bằng “Từ ngày”.": "“To” must be on or after “From”.",
    "Khoảng thời gian quá dài: tối đa 10 năm.": "The period is too long: 10 years at most.",
    "Không có loại báo cáo này.": "There is no such report kind.",
    "Kỳ báo cáo phải bắt đầu từ %(d)s trở đi.": "The report period must start on %(d)s or later.",
    "Kỳ báo cáo chưa bắt đầu (bắt đầu ngày %(d)s).": "The report period has not started yet (it starts on %(d)s).",
    "6 tháng đầu năm %(y)s": "first half of %(y)s",
    "6 tháng cuối năm %(y)s": "second half of %(y)s",
    "Năm %(y)s": "Year %(y)s",
    "Loại báo cáo này không thể lập lịch tự động.": "This report kind cannot be scheduled.",
    "Đánh giá %(n)s năm %(period)s": "%(n)s-year evaluation %(period)s",
    "Báo cáo năm %(y)s": "Annual report %(y)s",
    "Báo cáo kỳ %(period)s": "Report for %(period)s",
    "Báo cáo %(period)s": "Report for the %(period)s",
    "Tỉnh, thành phố: %(name)s (gồm cả các đơn vị cũ đã sáp nhập)": "Province or city: %(name)s (including the former units merged into it)",
    "Tổ chức: %(name)s (số liệu toàn quốc)": "Organisation: %(name)s (national figures)",
    "Không tạo được báo cáo (%(kind)s: %(msg)s). Hãy thử lại hoặc báo quản trị viên.": "The report could not be made (%(kind)s: %(msg)s). Try again or tell an administrator.",
    "Báo cáo sáu tháng, năm, theo kỳ tùy chọn và đánh giá 3, 5, 10 năm, dạng PDF (có biểu đồ) và XLSX (có biểu đồ Excel), từ các chỉ số của phân hệ Đo lường.": "Six-month, annual and custom-period reports and 3-, 5- and 10-year evaluations, as PDF (with charts) and XLSX (with Excel charts), from the Measure module's indicators.",
    "Tạo báo cáo": "Make a report",
    "Kho báo cáo": "Report archive",
    "Báo cáo": "Report",
    "Kỳ": "Period",
    "Yêu cầu lúc": "Requested",
    "Trạng thái": "Status",
    "Tải về": "Download",
    "Tiến độ": "Progress",
    "Chưa có báo cáo nào.": "No reports yet.",
    "Lịch báo cáo tự động": "Scheduled reports",
    "Lần chạy tới": "Next run",
    "Lần chạy trước": "Last run",
    "Thao tác": "Actions",
    "Xóa": "Delete",
    "Chưa có lịch nào.": "No schedules yet.",
    "Lập lịch": "Schedule",
    "Không cập nhật được trạng thái; đang thử lại…": "Could not update the status; retrying…",
    "Đã nhận yêu cầu; báo cáo đang được tạo.": "Request received; the report is being made.",
    "Đã lập lịch báo cáo tự động.": "Report scheduled.",
    "Đã xóa lịch báo cáo.": "Schedule deleted.",
    "Tổng quan": "Overview",
    "Số liệu từ %(a)s đến %(b)s": "Data from %(a)s to %(b)s",
    "Bài báo kỳ trước cùng độ dài": "Reports in the previous period of the same length",
    "% tích cực": "% positive",
    "% tiêu cực": "% negative",
    "Thay đổi so với năm trước (%)": "Change from the previous year (%)",
    "Bài báo theo năm": "Reports by year",
    "Quốc gia": "Country",
    "Quốc gia của cơ quan báo chí": "Outlet country",
    "Tỷ lệ tiếng nói": "Share of voice",
    "Tỷ lệ tiếng nói (%)": "Share of voice (%)",
    "Khía cạnh": "Dimensions",
    "Số quốc gia đưa tin": "Outlet countries",
    "Mã": "Key",
    "Phiên bản": "Version",
    "Tên": "Name",
    "Chỉ thử lại được báo cáo bị lỗi.": "Only a failed report can be retried.",
    "Báo cáo đang được tạo; hãy xóa sau khi xong.": "The report is being made; delete it once it is done.",
    "Đã xếp báo cáo vào hàng đợi để tạo lại.": "The report is queued to be made again.",
    "Đã xóa báo cáo.": "Report deleted.",
    "Thử lại": "Retry",
}


def main(path: str) -> int:
    po_path = Path(path)
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        translation = EN.get(message.id)  # type: ignore[arg-type]
        if translation is None:
            if not message.string:
                missing.append(message.id)
            continue
        message.string = translation
        message.flags.discard("fuzzy")
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100, omit_header=False)
    for m in missing:
        print("untranslated:", m, file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
