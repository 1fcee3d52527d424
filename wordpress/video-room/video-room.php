<?php
/**
 * Plugin Name:       Video Room
 * Description:       Video meetings in posts and pages: a "Video room" block and a [video_room] shortcode. Your editors host, visitors join. Media flows browser to browser; your own signaling server brokers the rooms.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       video-room
 *
 * The element's bundle in build/ is MIT-licensed, which GPL permits.
 */

defined( 'ABSPATH' ) || exit;

define( 'VIDEO_ROOM_VERSION', '0.1.0' );
define( 'VIDEO_ROOM_FILE', __FILE__ );

require_once __DIR__ . '/includes/settings.php';
require_once __DIR__ . '/includes/settings-page.php';
require_once __DIR__ . '/includes/scripts.php';
require_once __DIR__ . '/includes/room-tag.php';
require_once __DIR__ . '/includes/room-token.php';
require_once __DIR__ . '/includes/rooms-on-post.php';
require_once __DIR__ . '/includes/token-route.php';

add_action( 'init', 'video_room_register' );

/** The shortcode and the block: two ways to write the same tag. */
function video_room_register() {
	add_shortcode( 'video_room', 'video_room_shortcode' );
	register_block_type( __DIR__ . '/blocks/room' );
}

/**
 * [video_room room="team-sync" layout="speaker" autojoin="yes" height="600px" lang="de"]
 *
 * @param array|string $atts As WordPress parsed them (a string when there were none).
 */
function video_room_shortcode( $atts ) {
	$atts = shortcode_atts(
		array(
			'room'     => '',
			'layout'   => 'auto',
			'autojoin' => '',
			'height'   => '',
			'lang'     => '',
		),
		is_array( $atts ) ? $atts : array(),
		'video_room'
	);
	$atts['autojoin'] = in_array( strtolower( (string) $atts['autojoin'] ), array( '1', 'yes', 'true', 'autojoin' ), true );
	return video_room_tag( $atts );
}
