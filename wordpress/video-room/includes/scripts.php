<?php
/**
 * The element's bundle, shipped in build/ (never from a CDN), loaded as a
 * module only on pages that show a room. WordPress 6.1 has no script-module
 * API, so the scripts are registered as classic ones and their tags made
 * modules; module scripts run in order, so the token helper is in place
 * before the element starts.
 */

defined( 'ABSPATH' ) || exit;

/** Our handles whose tags become type="module". */
const VIDEO_ROOM_MODULES = array( 'video-room-wordpress', 'video-room' );

add_action( 'wp_enqueue_scripts', 'video_room_register_scripts' );
add_filter( 'script_loader_tag', 'video_room_module_tag', 10, 2 );

function video_room_register_scripts() {
	$base = plugins_url( '', VIDEO_ROOM_FILE );
	wp_register_script( 'video-room-wordpress', $base . '/assets/wordpress-tokens.js', array(), VIDEO_ROOM_VERSION, true );
	wp_register_script( 'video-room', $base . '/build/video-room.js', array( 'video-room-wordpress' ), VIDEO_ROOM_VERSION, true );
}

/** Called by whatever prints a room: the scripts go out in the footer of that page only. */
function video_room_enqueue() {
	if ( ! wp_script_is( 'video-room', 'registered' ) ) {
		video_room_register_scripts(); // printed before wp_enqueue_scripts ran (a block theme's early render)
	}
	wp_enqueue_script( 'video-room' );
}

/**
 * Makes our script tags modules. The string also holds any inline scripts
 * printed around the tag, so only the tag with our id is touched; 6.1 writes
 * single quotes, later versions double, and a theme without html5 support
 * adds type="text/javascript", which is replaced rather than doubled.
 */
function video_room_module_tag( $tag, $handle ) {
	if ( ! in_array( $handle, VIDEO_ROOM_MODULES, true ) ) {
		return $tag;
	}
	$id = preg_quote( $handle . '-js', '/' );
	return preg_replace_callback(
		"/<script\\b[^>]*\\bid=(['\"]){$id}\\1[^>]*>/",
		function ( $m ) {
			$open = preg_replace( "/\\s+type=(['\"])[^'\"]*\\1/", '', $m[0] );
			return preg_replace( '/^<script\b/', '<script type="module"', $open );
		},
		$tag
	);
}
