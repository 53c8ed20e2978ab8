"""Demo content for the portal, written for this project (CC0 1.0; the figures on fact
sheets come live from Measure). Vietnamese is the source; English and French translations
are imported through wagtail-localize's PO import, as an outside translator's would be.

Each entry: the Vietnamese fields, then per language the same fields translated. Rich-text
bodies are lists of paragraphs (one translation segment each)."""

from __future__ import annotations

from typing import Any

LICENCE_NOTE = "CC0 1.0 — nội dung tự biên soạn cho bản trình diễn của Nền tảng TTĐN"

HOME: dict[str, dict[str, str]] = {
    "vi": {
        "title": "Việt Nam hôm nay",
        "slug": "trang-chu",
        "summary": "Tin tức, số liệu và sự kiện về Việt Nam, bằng ngôn ngữ của bạn.",
    },
    "en": {
        "title": "Viet Nam today",
        "slug": "home",
        "summary": "News, figures and events about Viet Nam, in your language.",
    },
    "fr": {
        "title": "Le Viet Nam aujourd'hui",
        "slug": "accueil",
        "summary": "Actualités, chiffres et événements sur le Viet Nam, dans votre langue.",
    },
}

TOPICS: list[dict[str, dict[str, str]]] = [
    {
        "vi": {"title": "Tin tức", "slug": "tin-tuc", "summary": "Tin tức mới về Việt Nam."},
        "en": {"title": "News", "slug": "news", "summary": "The latest news about Viet Nam."},
        "fr": {
            "title": "Actualités",
            "slug": "actualites",
            "summary": "Les dernières nouvelles du Viet Nam.",
        },
    },
    {
        "vi": {
            "title": "Tỉnh, thành phố",
            "slug": "tinh-thanh-pho",
            "summary": "Số liệu về đất nước và từng tỉnh, thành phố.",
        },
        "en": {
            "title": "Provinces",
            "slug": "provinces",
            "summary": "Figures on the country and each province.",
        },
        "fr": {
            "title": "Provinces",
            "slug": "provinces",
            "summary": "Chiffres sur le pays et chaque province.",
        },
    },
    {
        "vi": {
            "title": "Kiểm chứng",
            "slug": "kiem-chung",
            "summary": "Thông tin sai lệch và sự thật.",
        },
        "en": {
            "title": "Fact checks",
            "slug": "fact-checks",
            "summary": "False claims and the facts.",
        },
        "fr": {
            "title": "Vérifications",
            "slug": "verifications",
            "summary": "Fausses informations et faits.",
        },
    },
    {
        "vi": {
            "title": "Sự kiện",
            "slug": "su-kien",
            "summary": "Sự kiện văn hoá, hội nghị, lễ hội.",
        },
        "en": {
            "title": "Events",
            "slug": "events",
            "summary": "Cultural events, conferences, festivals.",
        },
        "fr": {
            "title": "Événements",
            "slug": "evenements",
            "summary": "Événements culturels, conférences, festivals.",
        },
    },
    {
        "vi": {
            "title": "Thư viện ảnh",
            "slug": "thu-vien-anh",
            "summary": "Ảnh về đất nước và con người Việt Nam.",
        },
        "en": {
            "title": "Galleries",
            "slug": "galleries",
            "summary": "Pictures of Viet Nam and its people.",
        },
        "fr": {
            "title": "Galeries",
            "slug": "galeries",
            "summary": "Images du Viet Nam et de ses habitants.",
        },
    },
]

ARTICLE: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Cà phê Lâm Đồng vào mùa thu hoạch",
        "slug": "ca-phe-lam-dong-mua-thu-hoach",
        "summary": "Trên cao nguyên Lâm Đồng, nông dân bắt đầu hái cà phê chín và thử những cách chế biến mới.",
        "body": [
            "Từ tháng Mười một, các đồi cà phê quanh Bảo Lộc và Di Linh vào mùa thu hoạch. Nhiều hợp tác xã chỉ hái quả chín đỏ để giữ hương vị.",
            "Một số hộ đã chuyển sang sơ chế ướt và phơi trên giàn cao, giúp hạt khô đều hơn và bán được giá tốt hơn.",
            "Khách tham quan có thể đến các trang trại mở cửa để xem quy trình từ quả chín đến tách cà phê.",
        ],
    },
    "en": {
        "title": "Lam Dong coffee at harvest time",
        "slug": "lam-dong-coffee-harvest",
        "summary": "On the Lam Dong plateau, farmers are picking ripe coffee cherries and trying new ways to process them.",
        "body": [
            "From November, the coffee hills around Bao Loc and Di Linh are in harvest. Many cooperatives pick only red, ripe cherries to keep the flavour.",
            "Some households have moved to wet processing and drying on raised beds, which dries the beans more evenly and fetches better prices.",
            "Visitors can go to farms that open their doors to see the whole process, from ripe cherry to a cup of coffee.",
        ],
    },
    "fr": {
        "title": "Le café de Lam Dong à la récolte",
        "slug": "cafe-lam-dong-recolte",
        "summary": "Sur le plateau de Lam Dong, les agriculteurs cueillent les cerises de café mûres et essaient de nouvelles méthodes de transformation.",
        "body": [
            "Dès novembre, les collines de café autour de Bao Loc et Di Linh sont en pleine récolte. De nombreuses coopératives ne cueillent que les cerises rouges et mûres pour préserver les arômes.",
            "Certains foyers sont passés au traitement par voie humide et au séchage sur lits surélevés, ce qui sèche les grains plus régulièrement et se vend mieux.",
            "Les visiteurs peuvent se rendre dans des fermes ouvertes au public pour suivre tout le processus, de la cerise mûre à la tasse.",
        ],
    },
}

# a newer article, written in Vietnamese and not yet translated (shows "awaiting translation")
ARTICLE_UNTRANSLATED: dict[str, Any] = {
    "title": "Huế mở lại tuyến đi bộ ven sông Hương",
    "slug": "hue-mo-lai-tuyen-di-bo-song-huong",
    "summary": "Tuyến đi bộ ven sông Hương được chỉnh trang, thêm cây xanh và chỗ ngồi.",
    "body": [
        "Sau nhiều tháng chỉnh trang, tuyến đi bộ ven bờ nam sông Hương đã mở lại cho người dân và du khách.",
        "Tuyến đường có thêm cây bóng mát, ghế ngồi và đèn chiếu sáng tiết kiệm điện.",
    ],
}

# written by a provincial officer and submitted: "awaiting approval"
ARTICLE_FOR_REVIEW: dict[str, Any] = {
    "title": "Lâm Đồng chuẩn bị Festival Hoa",
    "slug": "lam-dong-chuan-bi-festival-hoa",
    "summary": "Các nhà vườn Đà Lạt chuẩn bị hoa cho lễ hội cuối năm.",
    "body": [
        "Các nhà vườn quanh Đà Lạt đang chăm sóc hàng trăm nghìn chậu hoa cho lễ hội cuối năm."
    ],
}

FACT_SHEETS: list[dict[str, Any]] = [
    {
        "province": None,
        "vi": {
            "title": "Việt Nam qua số liệu",
            "slug": "viet-nam",
            "summary": "Báo chí thế giới viết về Việt Nam: số bài mỗi tháng và sắc thái.",
            "body": [
                "Việt Nam có 34 đơn vị hành chính cấp tỉnh từ ngày 1 tháng 7 năm 2025: 6 thành phố trực thuộc trung ương và 28 tỉnh."
            ],
        },
        "en": {
            "title": "Viet Nam in figures",
            "slug": "viet-nam",
            "summary": "What the world's media write about Viet Nam: articles per month and tone.",
            "body": [
                "Since 1 July 2025 Viet Nam has 34 provincial-level units: 6 centrally governed cities and 28 provinces."
            ],
        },
        "fr": {
            "title": "Le Viet Nam en chiffres",
            "slug": "viet-nam",
            "summary": "Ce que la presse mondiale écrit sur le Viet Nam : articles par mois et tonalité.",
            "body": [
                "Depuis le 1er juillet 2025, le Viet Nam compte 34 unités de niveau provincial : 6 villes relevant du gouvernement central et 28 provinces."
            ],
        },
    },
    {
        "province": "ha-noi",
        "vi": {
            "title": "Hà Nội",
            "slug": "ha-noi",
            "summary": "Thủ đô của Việt Nam.",
            "body": [
                "Hà Nội là thủ đô, trung tâm chính trị và văn hoá của cả nước, nằm bên sông Hồng."
            ],
        },
        "en": {
            "title": "Hanoi",
            "slug": "hanoi",
            "summary": "The capital of Viet Nam.",
            "body": [
                "Hanoi is the capital and the political and cultural centre of the country, on the Red River."
            ],
        },
        "fr": {
            "title": "Hanoï",
            "slug": "hanoi",
            "summary": "La capitale du Viet Nam.",
            "body": [
                "Hanoï est la capitale et le centre politique et culturel du pays, au bord du fleuve Rouge."
            ],
        },
    },
    {
        "province": "hue",
        "vi": {
            "title": "Huế",
            "slug": "hue",
            "summary": "Cố đô bên sông Hương.",
            "body": [
                "Huế là cố đô của triều Nguyễn; Quần thể di tích Cố đô Huế là di sản thế giới."
            ],
        },
        "en": {
            "title": "Hue",
            "slug": "hue",
            "summary": "The former imperial capital on the Perfume River.",
            "body": [
                "Hue was the capital of the Nguyen dynasty; the Complex of Hue Monuments is a World Heritage site."
            ],
        },
        "fr": {
            "title": "Hué",
            "slug": "hue",
            "summary": "L'ancienne capitale impériale sur la rivière des Parfums.",
            "body": [
                "Hué fut la capitale de la dynastie Nguyen ; l'ensemble des monuments de Hué est inscrit au patrimoine mondial."
            ],
        },
    },
    {
        "province": "lam-dong",
        "vi": {
            "title": "Lâm Đồng",
            "slug": "lam-dong",
            "summary": "Cao nguyên của hoa, chè và cà phê.",
            "body": [
                "Lâm Đồng nằm trên cao nguyên phía nam Tây Nguyên, nổi tiếng với Đà Lạt, hoa, chè và cà phê."
            ],
        },
        "en": {
            "title": "Lam Dong",
            "slug": "lam-dong",
            "summary": "A highland of flowers, tea and coffee.",
            "body": [
                "Lam Dong lies on the southern Central Highlands plateau and is known for Da Lat, flowers, tea and coffee."
            ],
        },
        "fr": {
            "title": "Lam Dong",
            "slug": "lam-dong",
            "summary": "Un plateau de fleurs, de thé et de café.",
            "body": [
                "Lam Dong se trouve sur le plateau sud des Hauts Plateaux du Centre, connu pour Da Lat, ses fleurs, son thé et son café."
            ],
        },
    },
]

FACT_CHECK: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Không có chuyện Vịnh Hạ Long bị đóng cửa với khách quốc tế",
        "slug": "ha-long-khong-dong-cua",
        "summary": "Một bài đăng lan truyền nói Vịnh Hạ Long cấm khách nước ngoài. Điều đó không đúng.",
        "claim": "Vịnh Hạ Long đóng cửa với mọi du khách nước ngoài từ tháng này.",
        "body": [
            "Ban quản lý Vịnh Hạ Long vẫn bán vé cho khách trong nước và quốc tế; chỉ một số tuyến tạm dừng khi có bão."
        ],
    },
    "en": {
        "title": "No, Ha Long Bay is not closed to foreign visitors",
        "slug": "ha-long-not-closed",
        "summary": "A viral post says Ha Long Bay bans foreign visitors. That is false.",
        "claim": "Ha Long Bay is closed to all foreign tourists from this month.",
        "body": [
            "The Ha Long Bay management board still sells tickets to domestic and international visitors; only some routes pause during storms."
        ],
    },
    "fr": {
        "title": "Non, la baie d'Ha Long n'est pas fermée aux visiteurs étrangers",
        "slug": "ha-long-pas-fermee",
        "summary": "Une publication virale affirme que la baie d'Ha Long interdit les visiteurs étrangers. C'est faux.",
        "claim": "La baie d'Ha Long est fermée à tous les touristes étrangers à partir de ce mois.",
        "body": [
            "Le conseil de gestion de la baie d'Ha Long vend toujours des billets aux visiteurs nationaux et internationaux ; seuls certains itinéraires sont suspendus en cas de tempête."
        ],
    },
}

EVENT: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Festival Huế 2026",
        "slug": "festival-hue-2026",
        "summary": "Lễ hội văn hoá nghệ thuật tại Cố đô Huế.",
        "venue": "Đại Nội, Huế",
        "body": ["Chương trình gồm biểu diễn nhã nhạc cung đình, ẩm thực và nghệ thuật đường phố."],
    },
    "en": {
        "title": "Hue Festival 2026",
        "slug": "hue-festival-2026",
        "summary": "An arts and culture festival in the former imperial capital.",
        "venue": "Imperial City, Hue",
        "body": ["The programme includes royal court music, food and street arts."],
    },
    "fr": {
        "title": "Festival de Hué 2026",
        "slug": "festival-hue-2026",
        "summary": "Un festival des arts et de la culture dans l'ancienne capitale impériale.",
        "venue": "Cité impériale, Hué",
        "body": [
            "Le programme comprend la musique de cour royale, la gastronomie et les arts de la rue."
        ],
    },
}

GALLERY: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Sắc màu cao nguyên",
        "slug": "sac-mau-cao-nguyen",
        "summary": "Minh hoạ về đồi chè, hoa và cà phê.",
        "captions": ["Đồi chè buổi sáng", "Vườn hoa Đà Lạt", "Hạt cà phê chín"],
    },
    "en": {
        "title": "Colours of the highlands",
        "slug": "colours-of-the-highlands",
        "summary": "Illustrations of tea hills, flowers and coffee.",
        "captions": ["Tea hills in the morning", "A Da Lat flower garden", "Ripe coffee cherries"],
    },
    "fr": {
        "title": "Couleurs des hauts plateaux",
        "slug": "couleurs-des-hauts-plateaux",
        "summary": "Illustrations de collines de thé, de fleurs et de café.",
        "captions": [
            "Collines de thé le matin",
            "Un jardin de fleurs à Da Lat",
            "Cerises de café mûres",
        ],
    },
}
