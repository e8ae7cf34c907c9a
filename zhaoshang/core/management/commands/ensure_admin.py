import secrets

from django.conf import settings
from django.contrib.auth import get_user_model

from zhaoshang.core.management.base import Command as BaseCommand


class Command(BaseCommand):
    help = "确保有一个管理员账号；首次运行时生成密码，保存在 var/admin_password 并打印。"

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, **options):
        User = get_user_model()
        username = options["username"]
        password_file = settings.VAR_DIR / "admin_password"
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            password_file.write_text(password + "\n")
            password_file.chmod(0o600)
        if password_file.exists():
            self.stdout.write(f"管理员账号：{username}  密码：{password_file.read_text().strip()}（保存在 {password_file}）")
        else:
            self.stdout.write(f"管理员账号：{username}（密码已由管理员修改）")
