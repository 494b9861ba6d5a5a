-- Where a rating came from, for the suspicious-rating audit (jianping audit ratings), and
-- the staff identities it is compared with. PostgreSQL dialect; keep in step with
-- ../sqlite/V8__rating_origin.sql. All nullable: older exports carry none of them.

-- 设备编号: the pad, kiosk or terminal that took the rating.
ALTER TABLE ratings ADD COLUMN device TEXT;
-- IP地址: the address the rating was submitted from (web, app, QR page).
ALTER TABLE ratings ADD COLUMN address TEXT;
-- 评价人账号: the account that submitted the rating (政务服务网 user, or a jianping login).
ALTER TABLE ratings ADD COLUMN account TEXT;

-- 联系电话 and 评价系统账号 of a member of staff: a rating from either is a self-rating.
ALTER TABLE staff ADD COLUMN phone TEXT;
ALTER TABLE staff ADD COLUMN account TEXT;
