-- Seed for BackupRestoreScriptsTest. It is a miniature of the Pi repository schema "dashboard".
-- The server runs with sql_mode NO_AUTO_VALUE_ON_ZERO, like Pi's managed databases, so id 0 is a real row.
CREATE DATABASE dashboard CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE dashboard;

CREATE TABLE mis_user (
  user_id      INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  username     VARCHAR(100) NOT NULL,
  display_name VARCHAR(200) NULL,
  active       TINYINT(1) NOT NULL DEFAULT 1,
  created_at   DATETIME(3) NOT NULL,
  avatar       BLOB NULL,
  notes        TEXT NULL,
  UNIQUE KEY uk_username (username)
) ENGINE=InnoDB;
INSERT INTO mis_user VALUES
  (0, 'system', 'System user (id 0)', 1, '2020-01-01 00:00:00.000', NULL, NULL),
  (1, 'admin', 'Ädmin 🚀 ünïcødé', 1, '2023-06-30 12:34:56.789', 0x00FF10800D0A00, 'line1\r\nline2\ttab \\ backslash '' quote'),
  (2, 'bob', NULL, 0, '2024-02-29 23:59:59.999', x'', 'has NULLs');

CREATE TABLE mis_category (
  category_id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name        VARCHAR(100) NOT NULL,
  parent_id   INT NULL,
  CONSTRAINT fk_category_parent FOREIGN KEY (parent_id) REFERENCES mis_category (category_id)
) ENGINE=InnoDB;
INSERT INTO mis_category VALUES (1, 'Sales', NULL), (2, 'EMEA', 1), (3, 'UK', 2), (4, 'Finance', NULL);

CREATE TABLE mis_last_table_interactions (
  table_name        VARCHAR(64) NOT NULL PRIMARY KEY,
  interaction_count INT NOT NULL,
  last_interaction  DATETIME NOT NULL
) ENGINE=InnoDB;
INSERT INTO mis_last_table_interactions VALUES ('mis_category', 4, '2024-01-01 00:00:00');

-- Large enough that the dump spans many extended INSERTs and the fake dumps can cut it off midway.
CREATE TABLE mis_audit_event (
  event_id   INT NOT NULL PRIMARY KEY,
  payload    CHAR(64) NOT NULL,
  created_at DATETIME NOT NULL
) ENGINE=InnoDB;
INSERT INTO mis_audit_event SELECT seq, SHA2(seq, 256), '2024-01-01' + INTERVAL seq MINUTE FROM seq_1_to_5000;

-- A view that must survive the round trip.
CREATE VIEW v_active_users AS SELECT user_id, username FROM mis_user WHERE active = 1;

-- The three objects that backup.sh must leave out. One is a view and two are tables.
CREATE TABLE mis_user_cat_access_view_pi (user_id INT NOT NULL, category_id INT NOT NULL, PRIMARY KEY (user_id, category_id));
INSERT INTO mis_user_cat_access_view_pi VALUES (1, 1), (2, 4);
CREATE TABLE test_user_access (id INT NOT NULL PRIMARY KEY, marker VARCHAR(50) NOT NULL);
INSERT INTO test_user_access VALUES (1, 'ignored-object-row-marker');
CREATE VIEW mis_user_cat_access_view AS SELECT u.user_id, c.category_id FROM mis_user u CROSS JOIN mis_category c;

DELIMITER //
-- A trigger like Pi's recordTableInteraction.
CREATE TRIGGER recordTableInteraction AFTER INSERT ON mis_category FOR EACH ROW
BEGIN
  INSERT INTO mis_last_table_interactions (table_name, interaction_count, last_interaction)
  VALUES ('mis_category', 1, NOW())
  ON DUPLICATE KEY UPDATE interaction_count = interaction_count + 1, last_interaction = NOW();
END//

CREATE FUNCTION category_path(p_id INT) RETURNS VARCHAR(1000) READS SQL DATA
BEGIN
  DECLARE v_path VARCHAR(1000) DEFAULT NULL;
  DECLARE v_name VARCHAR(100);
  DECLARE v_parent INT;
  WHILE p_id IS NOT NULL DO
    SELECT name, parent_id INTO v_name, v_parent FROM mis_category WHERE category_id = p_id;
    SET v_path = IF(v_path IS NULL, v_name, CONCAT(v_name, ' > ', v_path));
    SET p_id = v_parent;
  END WHILE;
  RETURN v_path;
END//

CREATE PROCEDURE count_active_users(OUT n INT)
BEGIN
  SELECT COUNT(*) INTO n FROM mis_user WHERE active = 1;
END//
DELIMITER ;
