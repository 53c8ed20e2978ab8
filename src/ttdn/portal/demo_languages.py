"""Demo translations beyond English and French: the home page, the five sections and the Lâm
Đồng coffee article in Chinese, Russian, Spanish, Japanese, Korean, German, Lao and Khmer.

DEMO CONTENT. Translated by hand for this project from the English demo text (no machine
translation), CC0 1.0 like the rest of the demo (`demo_content.LICENCE_NOTE`); a real
portal's translations come from its translators through wagtail-localize. Fact sheets, the
fact-check, the event and the gallery stay in vi, en and fr only, so the demo also shows
what "not translated into this language" looks like to a reader.

Each language: the home page's fields, the sections' fields (in `demo_content.TOPICS`
order) and the article's fields, paragraph by paragraph.
"""

from __future__ import annotations

from typing import Any

EXTRA: dict[str, dict[str, Any]] = {
    "zh-hans": {
        "home": {
            "title": "今日越南",
            "slug": "home-zh-hans",
            "summary": "用您的语言了解越南的新闻、数据和活动。",
        },
        "topics": [
            {"title": "新闻", "slug": "news", "summary": "越南的最新消息。"},
            {"title": "省市", "slug": "provinces", "summary": "全国及各省市的数据。"},
            {"title": "事实核查", "slug": "fact-checks", "summary": "不实说法与事实。"},
            {"title": "活动", "slug": "events", "summary": "文化活动、会议与节庆。"},
            {"title": "图库", "slug": "galleries", "summary": "越南的风光与人民。"},
        ],
        "article": {
            "title": "林同咖啡迎来收获季",
            "slug": "lam-dong-coffee-harvest",
            "summary": "在林同高原，农民正在采摘成熟的咖啡果，并尝试新的加工方法。",
            "body": [
                "从十一月起，保禄和迪灵周边的咖啡山进入收获季。许多合作社只采摘红熟的果实，以保留风味。",
                "一些农户改用湿法加工，并在架高的晒床上晾晒，咖啡豆干燥更均匀，售价也更好。",
                "游客可以走进对外开放的农场，了解从成熟咖啡果到一杯咖啡的全过程。",
            ],
        },
    },
    "ru": {
        "home": {
            "title": "Вьетнам сегодня",
            "slug": "home-ru",
            "summary": "Новости, цифры и события о Вьетнаме — на вашем языке.",
        },
        "topics": [
            {"title": "Новости", "slug": "news", "summary": "Последние новости о Вьетнаме."},
            {
                "title": "Провинции",
                "slug": "provinces",
                "summary": "Данные по стране и каждой провинции.",
            },
            {
                "title": "Проверка фактов",
                "slug": "fact-checks",
                "summary": "Ложные утверждения и факты.",
            },
            {
                "title": "События",
                "slug": "events",
                "summary": "Культурные события, конференции, фестивали.",
            },
            {
                "title": "Галереи",
                "slug": "galleries",
                "summary": "Фотографии Вьетнама и его жителей.",
            },
        ],
        "article": {
            "title": "Кофе Ламдонга в сезон сбора урожая",
            "slug": "lam-dong-coffee-harvest",
            "summary": "На плато Ламдонг фермеры собирают спелые кофейные ягоды и пробуют новые способы их обработки.",
            "body": [
                "С ноября на кофейных холмах вокруг Баолока и Дилиня идёт сбор урожая. Многие кооперативы собирают только красные, спелые ягоды, чтобы сохранить вкус.",
                "Некоторые семьи перешли на мокрую обработку и сушку на приподнятых настилах: зёрна сохнут равномернее и продаются дороже.",
                "Туристы могут посетить открытые для гостей фермы и увидеть весь путь — от спелой ягоды до чашки кофе.",
            ],
        },
    },
    "es": {
        "home": {
            "title": "Viet Nam hoy",
            "slug": "inicio",
            "summary": "Noticias, cifras y eventos sobre Viet Nam, en su idioma.",
        },
        "topics": [
            {
                "title": "Noticias",
                "slug": "noticias",
                "summary": "Las últimas noticias de Viet Nam.",
            },
            {
                "title": "Provincias",
                "slug": "provincias",
                "summary": "Cifras del país y de cada provincia.",
            },
            {
                "title": "Verificaciones",
                "slug": "verificaciones",
                "summary": "Afirmaciones falsas y los hechos.",
            },
            {
                "title": "Eventos",
                "slug": "eventos",
                "summary": "Eventos culturales, conferencias, festivales.",
            },
            {
                "title": "Galerías",
                "slug": "galerias",
                "summary": "Imágenes de Viet Nam y de su gente.",
            },
        ],
        "article": {
            "title": "El café de Lam Dong en tiempo de cosecha",
            "slug": "cafe-lam-dong-cosecha",
            "summary": "En la meseta de Lam Dong, los agricultores recogen las cerezas de café maduras y prueban nuevas formas de procesarlas.",
            "body": [
                "Desde noviembre, las colinas cafeteras de Bao Loc y Di Linh están en plena cosecha. Muchas cooperativas solo recogen las cerezas rojas y maduras para conservar el sabor.",
                "Algunas familias han pasado al beneficio húmedo y al secado en camas elevadas, que seca el grano de forma más uniforme y obtiene mejores precios.",
                "Los visitantes pueden ir a las fincas que abren sus puertas para ver todo el proceso, de la cereza madura a la taza de café.",
            ],
        },
    },
    "ja": {
        "home": {
            "title": "今日のベトナム",
            "slug": "home-ja",
            "summary": "ベトナムのニュース、データ、イベントをあなたの言語で。",
        },
        "topics": [
            {"title": "ニュース", "slug": "news", "summary": "ベトナムの最新ニュース。"},
            {"title": "省・都市", "slug": "provinces", "summary": "国と各省・都市のデータ。"},
            {"title": "ファクトチェック", "slug": "fact-checks", "summary": "誤った主張と事実。"},
            {"title": "イベント", "slug": "events", "summary": "文化行事、会議、祭り。"},
            {"title": "ギャラリー", "slug": "galleries", "summary": "ベトナムの風景と人々の写真。"},
        ],
        "article": {
            "title": "収穫期を迎えたラムドンのコーヒー",
            "slug": "lam-dong-coffee-harvest",
            "summary": "ラムドン高原では、農家が熟したコーヒーの実を摘み取り、新しい加工方法に取り組んでいます。",
            "body": [
                "十一月から、バオロックとジーリン周辺のコーヒーの丘は収穫期に入ります。多くの協同組合は、風味を保つために赤く熟した実だけを摘み取ります。",
                "一部の農家は水洗式の加工と高床での乾燥に切り替え、豆がより均一に乾き、より良い値段で売れるようになりました。",
                "訪問者は一般に公開されている農園を訪れ、熟した実から一杯のコーヒーになるまでの全工程を見ることができます。",
            ],
        },
    },
    "ko": {
        "home": {
            "title": "오늘의 베트남",
            "slug": "home-ko",
            "summary": "베트남의 뉴스, 통계, 행사를 여러분의 언어로 전합니다.",
        },
        "topics": [
            {"title": "뉴스", "slug": "news", "summary": "베트남의 최신 소식."},
            {"title": "성·도시", "slug": "provinces", "summary": "국가와 각 성·도시의 통계."},
            {"title": "팩트체크", "slug": "fact-checks", "summary": "잘못된 주장과 사실."},
            {"title": "행사", "slug": "events", "summary": "문화 행사, 회의, 축제."},
            {"title": "갤러리", "slug": "galleries", "summary": "베트남과 베트남 사람들의 사진."},
        ],
        "article": {
            "title": "수확철을 맞은 럼동 커피",
            "slug": "lam-dong-coffee-harvest",
            "summary": "럼동 고원에서 농민들이 잘 익은 커피 열매를 따며 새로운 가공 방법을 시도하고 있습니다.",
            "body": [
                "11월부터 바오록과 디린 주변의 커피 언덕은 수확철에 들어갑니다. 많은 협동조합이 맛을 지키기 위해 빨갛게 익은 열매만 땁니다.",
                "일부 농가는 습식 가공과 높은 건조대 건조로 바꾸어 원두가 더 고르게 마르고 더 좋은 값을 받게 되었습니다.",
                "방문객은 문을 연 농장을 찾아 잘 익은 열매가 한 잔의 커피가 되기까지의 모든 과정을 볼 수 있습니다.",
            ],
        },
    },
    "de": {
        "home": {
            "title": "Viet Nam heute",
            "slug": "start",
            "summary": "Nachrichten, Zahlen und Veranstaltungen aus Viet Nam, in Ihrer Sprache.",
        },
        "topics": [
            {
                "title": "Nachrichten",
                "slug": "nachrichten",
                "summary": "Die neuesten Nachrichten aus Viet Nam.",
            },
            {
                "title": "Provinzen",
                "slug": "provinzen",
                "summary": "Zahlen zum Land und zu jeder Provinz.",
            },
            {
                "title": "Faktenchecks",
                "slug": "faktenchecks",
                "summary": "Falsche Behauptungen und die Fakten.",
            },
            {
                "title": "Veranstaltungen",
                "slug": "veranstaltungen",
                "summary": "Kulturveranstaltungen, Konferenzen, Feste.",
            },
            {
                "title": "Galerien",
                "slug": "galerien",
                "summary": "Bilder von Viet Nam und seinen Menschen.",
            },
        ],
        "article": {
            "title": "Kaffee aus Lam Dong zur Erntezeit",
            "slug": "kaffee-lam-dong-ernte",
            "summary": "Auf dem Hochplateau von Lam Dong pflücken die Bauern reife Kaffeekirschen und erproben neue Verfahren, sie zu verarbeiten.",
            "body": [
                "Ab November ist auf den Kaffeehügeln um Bao Loc und Di Linh Erntezeit. Viele Genossenschaften pflücken nur rote, reife Kirschen, damit das Aroma erhalten bleibt.",
                "Einige Familien sind zur nassen Aufbereitung und zur Trocknung auf erhöhten Gestellen übergegangen; so trocknen die Bohnen gleichmäßiger und erzielen bessere Preise.",
                "Besucher können Farmen besichtigen, die ihre Türen öffnen, und den ganzen Weg verfolgen, von der reifen Kirsche bis zur Tasse Kaffee.",
            ],
        },
    },
    "lo": {
        "home": {
            "title": "ຫວຽດນາມມື້ນີ້",
            "slug": "home-lo",
            "summary": "ຂ່າວ, ຕົວເລກ ແລະ ເຫດການກ່ຽວກັບຫວຽດນາມ ເປັນພາສາຂອງທ່ານ.",
        },
        "topics": [
            {"title": "ຂ່າວ", "slug": "news", "summary": "ຂ່າວລ່າສຸດກ່ຽວກັບຫວຽດນາມ."},
            {"title": "ແຂວງ", "slug": "provinces", "summary": "ຕົວເລກຂອງປະເທດ ແລະ ແຕ່ລະແຂວງ."},
            {"title": "ກວດສອບຂໍ້ເທັດຈິງ", "slug": "fact-checks", "summary": "ຂໍ້ອ້າງທີ່ບໍ່ຖືກຕ້ອງ ແລະ ຄວາມຈິງ."},
            {"title": "ເຫດການ", "slug": "events", "summary": "ງານວັດທະນະທຳ, ກອງປະຊຸມ, ງານບຸນ."},
            {"title": "ຄັງຮູບ", "slug": "galleries", "summary": "ຮູບພາບຂອງຫວຽດນາມ ແລະ ປະຊາຊົນ."},
        ],
        "article": {
            "title": "ກາເຟລຳດົ່ງ ໃນລະດູເກັບກ່ຽວ",
            "slug": "lam-dong-coffee-harvest",
            "summary": "ຢູ່ພູພຽງລຳດົ່ງ, ຊາວກະສິກອນກຳລັງເກັບໝາກກາເຟທີ່ສຸກ ແລະ ທົດລອງວິທີປຸງແຕ່ງແບບໃໝ່.",
            "body": [
                "ຕັ້ງແຕ່ເດືອນພະຈິກ, ເນີນພູກາເຟອ້ອມບ໋າວລົກ ແລະ ຢີລິງ ເຂົ້າສູ່ລະດູເກັບກ່ຽວ. ສະຫະກອນຫຼາຍແຫ່ງເກັບແຕ່ໝາກທີ່ສຸກແດງ ເພື່ອຮັກສາລົດຊາດ.",
                "ບາງຄອບຄົວໄດ້ປ່ຽນມາປຸງແຕ່ງແບບປຽກ ແລະ ຕາກເທິງຮ້ານສູງ, ເຮັດໃຫ້ເມັດແຫ້ງສະໝ່ຳສະເໝີ ແລະ ຂາຍໄດ້ລາຄາດີກວ່າ.",
                "ນັກທ່ອງທ່ຽວສາມາດໄປຢ້ຽມຢາມຟາມທີ່ເປີດຮັບແຂກ ເພື່ອເບິ່ງຂະບວນການທັງໝົດ ແຕ່ໝາກສຸກຈົນເຖິງຈອກກາເຟ.",
            ],
        },
    },
    "km": {
        "home": {
            "title": "វៀតណាមថ្ងៃនេះ",
            "slug": "home-km",
            "summary": "ព័ត៌មាន តួលេខ និងព្រឹត្តិការណ៍អំពីវៀតណាម ជាភាសារបស់អ្នក។",
        },
        "topics": [
            {"title": "ព័ត៌មាន", "slug": "news", "summary": "ព័ត៌មានថ្មីៗអំពីវៀតណាម។"},
            {"title": "ខេត្ត", "slug": "provinces", "summary": "តួលេខរបស់ប្រទេស និងខេត្តនីមួយៗ។"},
            {
                "title": "ការផ្ទៀងផ្ទាត់ការពិត",
                "slug": "fact-checks",
                "summary": "ការអះអាងមិនពិត និងការពិត។",
            },
            {"title": "ព្រឹត្តិការណ៍", "slug": "events", "summary": "ព្រឹត្តិការណ៍វប្បធម៌ សន្និសីទ និងពិធីបុណ្យ។"},
            {"title": "វិចិត្រសាល", "slug": "galleries", "summary": "រូបភាពប្រទេសវៀតណាម និងប្រជាជន។"},
        ],
        "article": {
            "title": "កាហ្វេឡាំដុង ក្នុងរដូវប្រមូលផល",
            "slug": "lam-dong-coffee-harvest",
            "summary": "នៅលើខ្ពង់រាបឡាំដុង កសិករកំពុងបេះផ្លែកាហ្វេទុំ និងសាកល្បងវិធីកែច្នៃថ្មីៗ។",
            "body": [
                "ចាប់ពីខែវិច្ឆិកា ភ្នំកាហ្វេជុំវិញបាវឡុក និងឌីលិញ ចូលរដូវប្រមូលផល។ សហករណ៍ជាច្រើនបេះតែផ្លែទុំក្រហម ដើម្បីរក្សារសជាតិ។",
                "គ្រួសារខ្លះបានប្តូរមកកែច្នៃបែបសើម និងហាលលើគ្រែខ្ពស់ ដែលធ្វើឲ្យគ្រាប់ស្ងួតស្មើជាង និងលក់បានតម្លៃល្អជាង។",
                "ភ្ញៀវទេសចរអាចទៅទស្សនាកសិដ្ឋានដែលបើកទ្វារ ដើម្បីមើលដំណើរការទាំងមូល ពីផ្លែទុំរហូតដល់កាហ្វេមួយពែង។",
            ],
        },
    },
}
