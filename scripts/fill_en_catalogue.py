"""Fill the English catalogue from the table below (kept in the repo so translators can edit
either the table or the .po file; running this keeps existing translations it does not know)."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

EN = {
    "Tổ chức và người dùng": "Organisations and people",
    "Ban Chỉ đạo trung ương": "Central steering committee",
    "Bộ, ngành": "Ministry or agency",
    "Tỉnh": "Province",
    "Thành phố trực thuộc trung ương": "Centrally-run city",
    "Cơ quan đại diện ở nước ngoài": "Mission abroad",
    "mã": "slug",
    "tên": "name",
    "tên chính thức": "official name",
    "tên tiếng Anh": "English name",
    "loại": "kind",
    "trang web": "website",
    "thư điện tử liên hệ": "contact email",
    "giới thiệu": "description",
    "tổ chức": "organisation",
    "tên cũ": "former name",
    "Quản trị viên": "Administrator",
    "Chuyên viên phân tích trung ương": "Central analyst",
    "Cán bộ địa phương": "Provincial officer",
    "Biên tập viên cổng thông tin": "Portal editor",
    "Biên dịch viên": "Translator",
    "Người xem": "Viewer",
    "vai trò": "role",
    "người dùng": "user",
    "Nhật ký hệ thống": "Audit log",
    "Tạo": "Create",
    "Sửa": "Edit",
    "Xóa": "Delete",
    "Đăng nhập": "Log in",
    "Đăng nhập thất bại": "Failed login",
    "Đăng xuất": "Log out",
    "thời điểm": "time",
    "người thực hiện": "actor",
    "tên đăng nhập": "username",
    "hành động": "action",
    "loại đối tượng": "object type",
    "mã đối tượng": "object id",
    "đối tượng": "object",
    "thay đổi": "changes",
    "địa chỉ IP": "IP address",
    "sự kiện nhật ký": "audit event",
    "nhật ký hệ thống": "audit log",
    "Điều phối": "Coordinate",
    "Chưa bắt đầu": "Not started",
    "Đang thực hiện": "In progress",
    "Hoàn thành": "Done",
    "đơn vị": "unit",
    "tiêu đề": "title",
    "mô tả": "description",
    "hạn hoàn thành": "due date",
    "trạng thái": "status",
    "nhiệm vụ": "task",
    "Tiếng Việt": "Vietnamese",
    "English": "English",
    "Tiêu đề": "Title",
    "Mô tả": "Description",
    "Hạn hoàn thành": "Due date",
    "Trạng thái": "Status",
    "Đơn vị": "Unit",
    "Hành động": "Action",
    "Tất cả": "All",
    "Tên đăng nhập": "Username",
    "Loại đối tượng": "Object type",
    "Từ ngày": "From",
    "Đến ngày": "To",
    "Theo dõi": "Monitor",
    "Báo chí thế giới viết gì về Việt Nam, theo từng câu chuyện và ngôn ngữ.": "What the world's media write about Viet Nam, story by story and language by language.",
    "Chưa có bài báo nào. Khi các nguồn tin được thêm và thu thập, các câu chuyện theo thời gian "
    "thực, ngôn ngữ và tỉnh được nhắc đến sẽ xuất hiện ở đây.": "No articles yet. Once sources are added and collected, live stories with their "
    "languages and the provinces they mention will appear here.",
    "Đo lường": "Measure",
    "Chỉ số, biểu đồ và báo cáo định kỳ về hiệu quả thông tin đối ngoại.": "Indicators, charts and periodic reports on the effectiveness of foreign information.",
    "Chưa có số liệu. Khi có dữ liệu theo dõi, các chỉ số về lượng tin, sắc thái, tỷ lệ tiếng "
    "nói so với các nước và báo cáo sáu tháng sẽ xuất hiện ở đây.": "No figures yet. Once monitoring data arrives, indicators of volume, tone, share of "
    "voice against peer countries and six-month reports will appear here.",
    "Phản hồi": "Respond",
    "Thông tin sai lệch, hồ sơ xử lý và bài đính chính nhiều ngôn ngữ.": "False information, response cases and multilingual clarifications.",
    "Chưa có hồ sơ nào. Các thông tin sai lệch được phát hiện, hồ sơ xử lý, thời hạn và bài "
    "đính chính sẽ xuất hiện ở đây.": "No cases yet. Detected false claims, response cases, deadlines and clarifications "
    "will appear here.",
    "Quảng bá": "Publish",
    "Cổng thông tin đa ngôn ngữ: tin bài, dịch thuật và phê duyệt.": "The multilingual portal: news, translation and approval.",
    "Chưa có tin bài nào. Tin bài, bản dịch đang chờ duyệt và lịch đăng theo từng ngôn ngữ sẽ "
    "xuất hiện ở đây.": "No news items yet. Items, translations awaiting approval and the publishing schedule "
    "per language will appear here.",
    "Kế hoạch, nhiệm vụ và báo cáo định kỳ của các cơ quan, địa phương.": "Plans, tasks and periodic reports of agencies and provinces.",
    "Chưa có nhiệm vụ nào. Nhiệm vụ được giao, hạn hoàn thành và đơn vị chậm trễ sẽ xuất hiện "
    "ở đây.": "No tasks yet. Assigned tasks, due dates and late units will appear here.",
    "Tài khoản tạm khóa": "Account temporarily locked",
    "Đăng nhập sai quá nhiều lần. Tài khoản bị tạm khóa 15 phút; hãy thử lại sau hoặc liên hệ "
    "quản trị viên.": "Too many failed logins. The account is locked for 15 minutes; try again later or "
    "contact an administrator.",
    "Tên đăng nhập hoặc mật khẩu không đúng.": "Wrong username or password.",
    "Mật khẩu": "Password",
    "Lọc": "Filter",
    "Sự kiện, mới nhất trước": "Events, newest first",
    "Thời điểm": "Time",
    "Người thực hiện": "Actor",
    "Đối tượng": "Object",
    "Địa chỉ IP": "IP address",
    "Thay đổi": "Changes",
    "Trang": "Pages",
    "Trước": "Previous",
    "Sau": "Next",
    "Không có sự kiện nào khớp bộ lọc. Đăng nhập và mọi thay đổi dữ liệu sẽ được ghi lại ở đây.": "No events match the filter. Logins and every change to data are recorded here.",
    "Nền tảng TTĐN": "TTĐN Platform",
    "Bỏ qua, đến nội dung chính": "Skip to main content",
    "Các phân hệ": "Modules",
    "Tổ chức": "Organisations",
    "Nhật ký": "Audit log",
    "Ngôn ngữ": "Language",
    "Đổi": "Switch",
    "Nền tảng TTĐN — phần mềm nguồn mở, tự triển khai.": "TTĐN Platform — open-source, self-hosted software.",
    "Tổng quan": "Overview",
    "Theo dõi → Đo lường → Phản hồi → Quảng bá → Đo lường hiệu quả.": "Monitor → Measure → Respond → Publish → Measure the effect.",
    "Giao nhiệm vụ mới": "Assign a new task",
    "Nhiệm vụ": "Tasks",
    "Hạn": "Due",
    "Loại": "Kind",
    "Tên tiếng Anh": "English name",
    "Các đơn vị cũ": "Former units",
    "Thông tin liên hệ": "Contact details",
    "Lưu": "Save",
    "Trang web": "Website",
    "Giới thiệu": "Description",
    ("%(n)s đơn vị hành chính cấp tỉnh", "%(n)s đơn vị hành chính cấp tỉnh"): (
        "%(n)s provincial-level unit",
        "%(n)s provincial-level units",
    ),
    "%(p)s tỉnh, %(c)s thành phố": "%(p)s provinces, %(c)s cities",
    "hình thành từ %(a)s đơn vị trước ngày 1/7/2025.": "formed from %(a)s units that existed before 1 July 2025.",
    "Đơn vị hành chính cấp tỉnh từ ngày 1/7/2025 và các đơn vị cũ": "Provincial-level units since 1 July 2025 and their former units",
    "Chưa nạp danh sách tổ chức. Chạy lệnh “ttdn demo” để nạp 34 đơn vị hành chính cấp tỉnh.": "No organisations loaded yet. Run “ttdn demo” to load the 34 provincial-level units.",
    "Cơ quan trung ương": "Central bodies",
    "Sửa nhiệm vụ": "Edit task",
    "Đã tạo nhiệm vụ.": "Task created.",
    "Đã lưu nhiệm vụ.": "Task saved.",
    "Đã lưu thông tin tổ chức.": "Organisation details saved.",
}


def fill(path: str, table: dict) -> int:  # type: ignore[type-arg]
    """Write `table`'s English into the catalogue at `path`; list untranslated messages on
    stderr and return 1 when there are any (shared by the apps' own catalogue scripts)."""
    po_path = Path(path)
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        translation = table.get(message.id)
        if translation is None:
            if not message.string or message.string == ("", ""):
                missing.append(message.id)
            continue
        message.string = translation
        message.flags.discard("fuzzy")
    with po_path.open("wb") as handle:
        write_po(handle, catalog, width=100)
    for m in missing:
        print("untranslated:", m, file=sys.stderr)
    return 1 if missing else 0


def main(path: str) -> int:
    return fill(path, EN)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
